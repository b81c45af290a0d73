"""Answers are never lost (issue 16) in a real browser: an invalid field without JavaScript,
two tabs on one attempt, a session ended under the trainee's feet, and the attempt and review
pages on a 360 px phone in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from course_app.database import writing
from course_app.extensions import db
from course_app.models import User
from course_app.security.sessions import end_all_sessions
from tests.helpers import PASSWORD

from ..integration.test_all_question_types import COURSE, QUIZ
from ..integration.test_all_question_types import people as people  # noqa: F401
from ..web.test_answers_kept import saved as saved_in_session
from .support import path_of, sign_in, start_quiz, wait_for_path

SAVE = ".attempt-actions button:not([formaction])"
STATUS_SETTLED = """status => status.textContent
  && status.textContent !== status.getAttribute('data-saving')"""


def saved(attempt_id: int) -> dict:
    """What the live server has stored: a new transaction each time, or SQLite's snapshot of
    the first read would hide the server's later writes."""
    db.session.rollback()
    return saved_in_session(attempt_id)


def start(page: Any) -> int:
    page.goto(f"/courses/{COURSE}/quizzes/{QUIZ}")
    page.locator("form[action$='/attempts'] button").click()
    wait_for_path(page, r"/attempts/\d+")
    return int(path_of(page).rsplit("/", 1)[1])


def autosave(page: Any, name: str, value: str) -> str:
    """Types into a field, lets the autosave run and gives the status line its reply left."""
    page.locator(".autosave-status").evaluate("status => { status.textContent = ''; }")
    page.locator(f"[name='{name}']:not([disabled])").fill(value)
    page.locator(f"[name='{name}']:not([disabled])").dispatch_event("change")
    return wait_saved(page)


def wait_saved(page: Any) -> str:
    """Waits for the autosave's reply and gives the status line it left."""
    status = page.locator(".autosave-status")
    page.wait_for_function(STATUS_SETTLED, arg=status.element_handle())
    return status.inner_text()


def test_no_js_invalid_number_keeps_every_other_answer(browser, recorder, people):  # noqa: F811
    trainee, _trainer = people
    page = recorder.new_context(browser, width=360, javascript=False).new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start(page)
    recorder.expected_errors.append(f"/attempts/{attempt_id}")  # the page answers 400
    page.locator("[name='q-so']").fill("mười hai")
    page.locator("[name='q-mot-lua-chon'][value='bac']").check()
    page.locator("[name='q-tra-loi-ngan']").fill("Hải Phòng")
    page.locator("[name='q-nhieu-lua-chon'][value='hp']").check()
    page.locator(SAVE).click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    assert page.locator(".flash-error").first.is_visible()
    question = page.locator("#question-so")
    assert question.locator(".field-error").is_visible()
    assert page.locator("[name='q-so']").input_value() == "mười hai"
    assert page.locator("[name='q-mot-lua-chon'][value='bac']").is_checked()
    assert page.locator("[name='q-tra-loi-ngan']").input_value() == "Hải Phòng"
    assert page.locator("[name='q-nhieu-lua-chon'][value='hp']").is_checked()
    _check_phone_layout(page, "attempt with an error, without JavaScript")
    answers = saved(attempt_id)
    assert answers["mot-lua-chon"] == "bac" and answers["tra-loi-ngan"] == "Hải Phòng"
    assert answers["nhieu-lua-chon"] == ["hp"] and "so" not in answers


def test_two_tabs_keep_each_others_answers_and_ask_where_both_changed(
        browser, recorder, people):  # noqa: F811
    trainee, _trainer = people
    context = recorder.new_context(browser, width=1280)
    tab_a = context.new_page()
    sign_in(tab_a, trainee.email, PASSWORD)
    attempt_id = start(tab_a)
    tab_b = context.new_page()
    tab_b.goto(f"/attempts/{attempt_id}")  # built before A saves anything
    # The conflict below answers 409 to a fetch: Chromium logs that as a console error.
    recorder.expected_errors.append(f"/attempts/{attempt_id}")
    tab_a.locator("[name='q-mot-lua-chon'][value='bac']").check()
    autosave(tab_a, "q-tra-loi-ngan", "Huế")
    assert saved(attempt_id) == {"mot-lua-chon": "bac", "tra-loi-ngan": "Huế"}
    # B, older, changes another question: A's answers are kept and B hears of the change.
    autosave(tab_b, "q-so", "60")
    assert saved(attempt_id) == {"mot-lua-chon": "bac", "tra-loi-ngan": "Huế", "so": "60"}
    notice = tab_b.locator(".session-notice")
    notice.wait_for()
    assert notice.inner_text().startswith(notice.get_attribute("data-changed"))
    assert notice.locator("a").get_attribute("href") == f"/attempts/{attempt_id}"
    # A (now the older tab) changes the short answer again; then B changes it too: nothing is
    # replaced. B's autosave is refused for that question only and says how to compare...
    autosave(tab_a, "q-tra-loi-ngan", "Đà Nẵng")
    status = tab_b.locator(".autosave-status")
    assert autosave(tab_b, "q-tra-loi-ngan", "Hà Nội") == status.get_attribute("data-invalid")
    assert tab_b.locator("#question-tra-loi-ngan .field-error").is_visible()
    assert saved(attempt_id)["tra-loi-ngan"] == "Đà Nẵng"
    with tab_b.expect_navigation():  # ...Save answers shows B both, and B chooses
        tab_b.locator(SAVE).click()
    assert tab_b.locator(".conflict").count() >= 1
    conflict = tab_b.locator("#question-tra-loi-ngan")
    text = conflict.inner_text() + " ".join(
        conflict.locator("input").evaluate_all("els => els.map(e => e.value)"))
    assert "Hà Nội" in text and "Đà Nẵng" in text
    assert saved(attempt_id)["tra-loi-ngan"] == "Đà Nẵng"
    assert conflict.locator("button[name=keep_saved]").is_visible()
    tab_b.locator("[name='q-tra-loi-ngan']:not([disabled])").fill("Hà Nội")  # B keeps its own
    with tab_b.expect_navigation():
        tab_b.locator(SAVE).click()
    assert tab_b.locator(".conflict").count() == 0
    assert saved(attempt_id)["tra-loi-ngan"] == "Hà Nội"
    assert saved(attempt_id)["so"] == "60" and saved(attempt_id)["mot-lua-chon"] == "bac"


def _end_sessions(email: str) -> None:
    with writing():
        user = db.session.query(User).filter_by(email=email).one()
        end_all_sessions(user)
        db.session.commit()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("how", ["ended", "cookie-gone"])
def test_an_ended_session_leads_to_sign_in_and_back_with_the_answers(
        browser, recorder, people, javascript, how):  # noqa: F811
    trainee, _trainer = people
    context = recorder.new_context(browser, width=360, javascript=javascript)
    page = context.new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start(page)
    recorder.expected_errors.append(f"/attempts/{attempt_id}")  # the refused save (401)
    recorder.expected_errors.append("/alive")
    if how == "ended":
        _end_sessions(trainee.email)
    else:
        context.clear_cookies()
    page.locator("[name='q-so']").fill("60")
    page.locator("[name='q-tra-loi-ngan']").fill("Hải Phòng")
    if javascript:
        page.locator("[name='q-tra-loi-ngan']").dispatch_event("change")
        notice = page.locator(".session-notice")
        notice.wait_for()
        assert notice.inner_text().startswith(notice.get_attribute("data-signed-out"))
    page.locator(SAVE).click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    assert page.locator("#signed-out-heading").is_visible(), page.content()[:2000]
    assert "400" not in page.locator("h1").inner_text()
    _check_phone_layout(page, "signed out")
    page.locator("input[name=email]").fill(trainee.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    assert page.locator("[name='q-so']").input_value() == "60"
    assert page.locator("[name='q-tra-loi-ngan']").input_value() == "Hải Phòng"
    answers = saved(attempt_id)
    assert answers["so"] == "60" and answers["tra-loi-ngan"] == "Hải Phòng"


def choose_language(page: Any, locale: str) -> None:
    """The header's language control (POST /language), then back to the same page."""
    with page.expect_navigation():
        page.locator(f".language-switch button[value={locale}]").click()
    assert page.evaluate("document.documentElement.lang") == locale
    assert page.locator(f".language-switch button[value={locale}]").get_attribute(
        "aria-current") == "true"


NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
BARS = """() => [...document.querySelectorAll('*')].filter(el => {
  const position = getComputedStyle(el).position;
  return position === 'fixed' || position === 'sticky';
}).map(el => [el.className, Math.round(el.getBoundingClientRect().height)])"""


def _check_phone_layout(page: Any, name: str) -> None:
    assert page.evaluate(NO_SIDEWAYS), (name, page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"))
    bars = page.evaluate(BARS)
    assert sum(height for _name, height in bars) <= 640 / 8, (name, bars)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_attempt_and_review_fit_a_phone(browser, recorder, people, locale):  # noqa: F811
    trainee, _trainer = people
    context = recorder.new_context(browser, width=360)
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, trainee.email, PASSWORD)
    choose_language(page, locale)
    attempt_id = start(page)
    assert page.evaluate("document.documentElement.lang") == locale
    page.locator("[name='q-tra-loi-ngan']").fill("Hải Phòng")
    page.locator("[name='q-tra-loi-ngan']").dispatch_event("change")
    wait_saved(page)
    _check_phone_layout(page, "attempt")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button[formaction]").click()
    wait_for_path(page, rf"/attempts/{attempt_id}/review")
    _check_phone_layout(page, "review")


def test_answers_kept_in_the_browser_come_back_after_signing_in_again(
        browser, recorder, people):  # noqa: F811
    trainee, _trainer = people
    page = recorder.new_context(browser, width=360).new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start(page)
    recorder.expected_errors.append(f"/attempts/{attempt_id}")  # the refused autosave (401)
    _end_sessions(trainee.email)
    page.locator("[name='q-mot-lua-chon'][value='bac']").check()
    autosave(page, "q-tra-loi-ngan", "Hải Phòng")
    notice = page.locator(".session-notice")
    notice.wait_for()
    assert notice.inner_text().startswith(notice.get_attribute("data-signed-out"))
    notice.locator("a").click()  # Sign in again, as the notice offers
    wait_for_path(page, "/login")
    page.locator("input[name=email]").fill(trainee.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    notice.wait_for()
    assert notice.inner_text().startswith(notice.get_attribute("data-restored"))
    _check_phone_layout(page, "attempt with the restored notice")
    assert page.locator("[name='q-tra-loi-ngan']").input_value() == "Hải Phòng"
    assert page.locator("[name='q-mot-lua-chon'][value='bac']").is_checked()
    # Once everything is saved the browser's copy goes, or a later visit would put it back.
    page.wait_for_function(f"() => !localStorage.getItem('course_app.attempt.{attempt_id}')")
    answers = saved(attempt_id)
    assert answers["tra-loi-ngan"] == "Hải Phòng" and answers["mot-lua-chon"] == "bac"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_a_timed_attempt_fits_a_phone(browser, recorder, trainee, locale, javascript):
    page = recorder.new_context(browser, width=360, javascript=javascript).new_page()
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, trainee.email, PASSWORD)
    choose_language(page, locale)
    start_quiz(page, "final")
    assert page.evaluate("document.documentElement.lang") == locale
    assert page.locator(".timer").is_visible()
    _check_phone_layout(page, "timed attempt")
    page.locator("button[formaction]").click()
    if not javascript:  # Submit asks on a page of its own
        wait_for_path(page, r"/attempts/\d+/submit")
        _check_phone_layout(page, "confirm")


def test_answers_kept_while_signed_out_never_undo_another_devices_answers(
        browser, recorder, people):  # noqa: F811
    trainee, _trainer = people
    page = recorder.new_context(browser, width=1280).new_page()
    sign_in(page, trainee.email, PASSWORD)
    attempt_id = start(page)
    recorder.expected_errors.append(f"/attempts/{attempt_id}")  # the refused autosave (401)
    _end_sessions(trainee.email)
    autosave(page, "q-tra-loi-ngan", "Hải Phòng")  # kept in this browser only
    # Meanwhile, on another device, the trainee answers another question.
    other = recorder.new_context(browser, width=360, javascript=False).new_page()
    sign_in(other, trainee.email, PASSWORD)
    other.goto(f"/attempts/{attempt_id}")
    other.locator("[name='q-mot-lua-chon'][value='bac']").check()
    with other.expect_navigation():
        other.locator(SAVE).click()
    assert saved(attempt_id) == {"mot-lua-chon": "bac"}
    page.locator(".session-notice a").click()
    wait_for_path(page, "/login")
    page.locator("input[name=email]").fill(trainee.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, f"/attempts/{attempt_id}")
    page.wait_for_function(f"() => !localStorage.getItem('course_app.attempt.{attempt_id}')")
    assert saved(attempt_id) == {"mot-lua-chon": "bac", "tra-loi-ngan": "Hải Phòng"}
    assert page.locator("[name='q-tra-loi-ngan']").input_value() == "Hải Phòng"
    assert page.locator("[name='q-mot-lua-chon'][value='bac']").is_checked()
