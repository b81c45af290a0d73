"""Templates hold nothing the Content-Security-Policy would block (script-src 'self', style-src
'self'): no inline <script> or <style>, no style="" attribute, no on…="" handler, no
javascript: URL. Pages would silently lose that code in the browser; here they fail loudly."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "course_app" / "templates"
JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


class InlineCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append(f"line {line}: inline <script>")
        if tag == "style":
            self.problems.append(f"line {line}: inline <style>")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"line {line}: style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"line {line}: event handler {name} on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL in {name}")


def templates() -> list[Path]:
    # Mail bodies (templates/mail/) are never served by the app: no CSP applies, and mail
    # clients need inline styles. tests/security/test_headers.py still keeps script out of them.
    return sorted(p for p in TEMPLATES.rglob("*.html")
                  if p.relative_to(TEMPLATES).parts[0] != "mail")


def inline_code(source: str) -> list[str]:
    # Jinja tags become blanks of the same line count, so line numbers stay right.
    parser = InlineCode()
    parser.feed(JINJA.sub(lambda m: "\n" * m.group(0).count("\n") + " ", source))
    parser.close()
    return parser.problems


def test_the_scanner_catches_each_kind():
    sample = ('<script>alert(1)</script><style>p{}</style><p style="color:red">x</p>'
              '<a href="javascript:go()" onclick="go()">x</a><script src="/s.js"></script>')
    assert len(inline_code(sample)) == 5


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_inline_code(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []
