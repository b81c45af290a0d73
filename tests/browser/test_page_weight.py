"""Each page type weighs under 150 KB on a cold load (empty cache), images aside: HTML, CSS,
JavaScript and fonts together, as a phone on a slow network would fetch them."""

from __future__ import annotations

from typing import Any

from tests.helpers import PASSWORD

from .support import sign_in, start_quiz

BUDGET = 150 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico")
TRANSFERRED = """async () => {
  await document.fonts.ready;
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return entries.map(e => [e.name, e.transferSize]);
}"""


def cold_weight(browser: Any, recorder: Any, storage: Any, path: str) -> tuple[int, list]:
    context = recorder.new_context(browser, width=360, storage_state=storage)
    page = context.new_page()
    page.goto(path)
    entries = page.evaluate(TRANSFERRED)
    context.close()
    counted = [(url, size) for url, size in entries
               if not url.split("?")[0].lower().endswith(IMAGE_SUFFIXES)]
    return sum(size for _, size in counted), counted


def test_every_page_type_is_under_150_kb_on_a_cold_load(browser, recorder, trainee):
    page = recorder.new_context(browser).new_page()
    anonymous = {"cookies": [], "origins": []}
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start_quiz(page, "module-1")
    signed_in = page.context.storage_state()
    pages = {"/login": anonymous, "/verify": anonymous, "/": signed_in,
             "/courses/demo": signed_in, "/courses/demo/lessons/tong-quan": signed_in,
             "/courses/demo/quizzes/module-1": signed_in, f"/attempts/{attempt_id}": signed_in,
             "/account/password": signed_in}
    weights = {}
    for path, storage in pages.items():
        total, counted = cold_weight(browser, recorder, storage, path)
        assert any(url.endswith(".css") or ".css" in url for url, _ in counted), counted
        assert any(".woff2" in url for url, _ in counted), "fonts were not fetched"
        weights[path] = total
    assert max(weights.values()) < BUDGET, weights
