"""The quiz page's behaviour in a real browser: a keyboard-only run, the countdown that submits
at zero, the warning about unsaved answers, and the whole quiz with JavaScript switched off."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import PASSWORD

from .support import path_of, question_keys, sign_in, start_quiz, wait_for_path

FOCUSED_QUESTION = "document.activeElement.closest('[data-question]')"
FOCUS_IS_VISIBLE = """(() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
})()"""


def tab_until(page: Any, condition: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"Boolean({condition})"):
            return
    raise AssertionError(f"Tab never reached {condition}")


def test_keyboard_only_quiz(browser, recorder, trainee):
    page = recorder.new_context(browser, width=1280).new_page()
    sign_in(page, trainee.email, PASSWORD)
    page.goto("/courses/demo/quizzes/module-1")
    tab_until(page, "document.activeElement.matches(\"form[action$='/attempts'] button\")")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    wait_for_path(page, r"/attempts/\d+")
    keys = question_keys(page)
    for key in keys:
        tab_until(page, f"{FOCUSED_QUESTION}?.dataset.question === '{key}'")
        assert page.evaluate(FOCUS_IS_VISIBLE), key
        if page.evaluate("document.activeElement.type") == "text":
            page.keyboard.type("người dân")
        else:
            page.keyboard.press("Space")  # a radio button or a check box: choose it
    answered = page.locator(".answered-count").inner_text()
    assert re.findall(r"\d+", answered)[:2] == [str(len(keys))] * 2, answered
    tab_until(page, "document.activeElement.matches('button[formaction]')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    wait_for_path(page, r"/attempts/\d+/review")
    chosen = page.locator(".choices.review li.chosen").count()
    assert chosen >= len(keys) - 1  # every choice question has its answer
    assert "người dân" in page.locator(".questions.review").inner_text()


def test_countdown_warns_then_submits_when_time_is_up(browser, recorder, trainee):
    page = recorder.new_context(browser, width=360).new_page()
    page.clock.install()
    sign_in(page, trainee.email, PASSWORD)
    start_quiz(page, "final")
    first = page.locator("[data-question]").first.get_attribute("data-question")
    page.locator(f"[name='q-{first}']").first.check()
    # The autosave's reply resets the countdown from the server's seconds_left; the clock
    # may only jump once that reply is handled, or the reset undoes the jump (as in CI once).
    status = page.locator(".autosave-status").element_handle()
    page.wait_for_function("status => status.textContent"
                           " && status.textContent !== status.getAttribute('data-saving')",
                           arg=status)
    announce = page.locator(".timer-announce")
    page.clock.fast_forward("29:05")
    assert page.locator(".timer").get_attribute("class") == "timer low"
    assert announce.inner_text() == announce.get_attribute("data-low-text")
    page.clock.fast_forward("01:00")
    wait_for_path(page, r"/attempts/\d+/review")
    assert page.locator(".score").is_visible()


def test_unsaved_answers_are_flagged_and_leaving_asks_first(browser, recorder, trainee):
    page = recorder.new_context(browser, width=1280).new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start_quiz(page, "module-1")
    recorder.expected_errors.append(f"/attempts/{attempt_id}")  # the cut-off autosave below
    page.route(f"**/attempts/{attempt_id}",
               lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.locator("[name='q-q1']").first.check()
    status = page.locator(".autosave-status.is-error")
    status.wait_for()
    assert status.inner_text() == status.get_attribute("data-failed")
    asked: list[str] = []

    def stay(dialog: Any) -> None:  # "stay on this page"
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    # The click returns once the dialog it opened has been answered.
    page.locator(".site-nav a").first.click(no_wait_after=True)
    assert asked == ["beforeunload"]
    assert path_of(page) == f"/attempts/{attempt_id}"
    assert page.locator("[name='q-q1']:checked").count() == 1


def test_whole_quiz_without_javascript(browser, recorder, trainee):
    page = recorder.new_context(browser, width=360, javascript=False).new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start_quiz(page, "final")
    hint = page.locator(".timer-hint")
    assert hint.inner_text() != hint.get_attribute("data-js-text")  # the page says: press Save
    keys = question_keys(page)
    page.locator(f"[name='q-{keys[0]}']").first.check()
    page.locator(".attempt-actions button:not([formaction])").click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    assert page.locator(".flash-success").is_visible()
    assert page.locator(f"[name='q-{keys[0]}']:checked").count() == 1
    for key in keys[1:]:
        page.locator(f"[name='q-{key}']").first.check()
    page.locator("button[formaction]").click()
    # Without JavaScript, Submit asks on a page of its own (saving what the form carried).
    wait_for_path(page, rf"/attempts/{attempt_id}/submit")
    page.locator("form.actions button[type=submit]").click()
    wait_for_path(page, rf"/attempts/{attempt_id}/review")
    assert re.search(r"\d+%", page.locator(".score").inner_text())
    assert page.locator("[data-print]").is_hidden()
