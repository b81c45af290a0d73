"""The lesson editor in a real browser, in Vietnamese at 360 px and English at 1280 px: the slug
follows the title as it is typed (slug.js), the Markdown toolbar puts bold text at the cursor and
moves between its buttons with the arrow keys, the live preview follows the text (beside it at
1280 px, under it at 360 px), and the saved draft is published from the editor after its summary.
Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from .support import PageCheck, wait_for_path
from .test_cohort_pages import sign_in

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("lang,width", [("vi", 360), ("en", 1280)])
def test_the_toolbar_and_the_live_preview(browser, recorder, make_user, loaded, lang, width):
    make_user("trainer", email="gv@example.vn", name="Giảng viên An")
    page = recorder.new_context(browser, width=width).new_page()
    check = PageCheck(recorder, f"author-{lang}-{width}", lang, count=90)
    sign_in(page, lang, "gv@example.vn")
    page.goto("/author/courses/demo/modules/1/lessons/new")
    page.locator("#f-title-vi").press_sequentially("Khái niệm Đối ngoại")
    assert page.locator("#f-slug").input_value() == "khai-niem-doi-ngoai"
    toolbar = page.locator(".md-toolbar[data-md-target='f-body-vi']")
    assert toolbar.is_visible()
    body = page.locator("#f-body-vi")
    body.fill("Mở đầu: ")
    body.press("End")
    toolbar.locator("[data-md=bold]").click()
    page.keyboard.type("quan trọng")  # the sample text was selected: typing replaces it
    assert body.input_value() == "Mở đầu: **quan trọng**"
    strong = page.locator("#preview-vi strong")
    strong.wait_for(timeout=5000)
    assert strong.inner_text() == "quan trọng"
    # One tab stop; the arrow keys move along the toolbar.
    toolbar.locator("[data-md=bold]").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.md") == "heading"
    page.keyboard.press("Enter")  # a block goes after the cursor's line, not into it
    assert body.input_value().startswith("Mở đầu: **quan trọng**\n\n## ")
    page.locator("#preview-vi h2").wait_for(timeout=5000)
    editor, preview = body.bounding_box(), page.locator("#preview-vi").bounding_box()
    assert editor and preview
    if width >= 1280:
        assert preview["x"] > editor["x"] + editor["width"] - 1  # beside the text
    else:
        assert preview["y"] > editor["y"] + editor["height"] - 1  # under it
    assert page.evaluate(OVERFLOW) <= 0
    check(page, "lesson-editor")
    page.locator("main form.author-form button[value=save]").click()
    wait_for_path(page, r"/author/courses/demo/lessons/\d+")
    panel = page.locator(".publish-panel")
    assert panel.is_visible() and panel.locator(".change-summary li").count() >= 1
    check(page, "lesson-draft")
    panel.locator("button[type=submit]").click()
    wait_for_path(page, r"/author/courses/demo/lessons/\d+")
    assert page.locator(".publish-panel").count() == 0


def test_without_javascript_the_toolbar_stays_hidden(browser, recorder, make_user, loaded):
    make_user("trainer", email="gv@example.vn")
    page: Any = recorder.new_context(browser, width=360, javascript=False).new_page()
    sign_in(page, "vi", "gv@example.vn")
    page.goto("/author/courses/demo/lessons/1")
    assert page.locator(".md-toolbar").first.is_hidden()
    assert page.locator("#f-body-vi").is_visible()
    page.locator("main form.author-form button[value=preview]").click()
    assert page.locator("#preview-vi h2").first.is_visible()
