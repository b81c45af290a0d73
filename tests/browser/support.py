"""What every browser test does on each page: record each request (only the live server may be
asked for anything), check the language, run axe-core, save a screenshot and the HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"  # <lang>-<width>/NN-<page>.png
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# The fixture lesson tong-quan carries a hostile <img src="x" onerror=…> on purpose (the
# sanitiser test): what survives is a bare <img> with no alt text, which no real lesson has
# (`flask content check` wants alt text for images). Only that one element is left out.
FIXTURE_PAYLOAD_IMAGE = ".prose > img:not([src])"
AXE_RUN = """async (exclude) => {
  const result = await axe.run({exclude: [[exclude]]},
    {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@dataclass
class Recorder:
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    expected_errors: list[str] = field(default_factory=list)  # URLs the test asks to fail

    def new_context(self, browser: Any, width: int = 1280, javascript: bool = True,
                    **options: Any) -> Any:
        context = browser.new_context(
            base_url=self.base_url, viewport={"width": width, "height": 800},
            java_script_enabled=javascript, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
            **options)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", self._console)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        if message.location.get("url", "").endswith(tuple(self.expected_errors)):
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url).netloc
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != own]

    def assert_clean(self) -> None:
        assert self.requests, "no request was recorded"
        assert self.foreign_requests() == [], "requests to another host"
        # A blocked inline script or style (CSP) and a missing file show up here.
        assert self.console_errors == [], self.console_errors


@dataclass
class PageCheck:
    """Checks one journey's pages: `lang` is the expected <html lang>."""

    recorder: Recorder
    label: str
    lang: str
    axe: bool = True
    count: int = 0

    def __call__(self, page: Any, name: str) -> None:
        self.count += 1
        assert page.evaluate("document.documentElement.lang") == self.lang, page.url
        if page.evaluate("typeof document.fonts") == "object":
            page.evaluate("document.fonts.ready.then(() => true)")
        if self.axe:
            violations = run_axe(page)
            assert violations == [], f"{name} ({page.url}): {violations}"
        shots = SCREENSHOTS / self.label
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{self.count:02d}-{name}.png"), full_page=True)
        self.recorder.pages_checked.append(f"{self.label}:{name}")


def print_preview(page: Any, label: str, name: str) -> None:
    """The page as printed: no site chrome, only the document (saved as NN-print-<name>.png)."""
    page.emulate_media(media="print")
    try:
        assert page.locator(".site-header").is_hidden()
        assert page.locator("h1").is_visible()
        shots = SCREENSHOTS / label
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"print-{name}.png"), full_page=True)
    finally:
        page.emulate_media(media="screen")


def run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
        page.evaluate(f"() => {{ {AXE_SOURCE}\n; window.axe = axe; }}")
    return list(page.evaluate(AXE_RUN, FIXTURE_PAYLOAD_IMAGE))


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, "/")


def start_quiz(page: Any, slug: str) -> int:
    page.goto(f"/courses/demo/quizzes/{slug}")
    page.locator("form[action$='/attempts'] button").click()
    wait_for_path(page, r"/attempts/\d+")
    return int(path_of(page).rsplit("/", 1)[1])


def question_keys(page: Any) -> list[str]:
    return page.eval_on_selector_all("[data-question]",
                                     "nodes => nodes.map(n => n.dataset.question)")


def path_of(page: Any) -> str:
    return urlsplit(page.url).path


def wait_for_path(page: Any, pattern: str) -> None:
    page.wait_for_url(re.compile(r"^[^?#]*" + pattern + r"(\?.*)?$"))
