"""The trainee's whole journey in a real browser, in Vietnamese and English, on a 360 px phone
and a 1280 px desktop: sign in, read the lessons, take a quiz, take the timed final exam with
autosave and a reload in the middle, review, download the certificate, verify it. Every page
passes axe-core (WCAG 2.1 A/AA), has the right <html lang> and asks only the app's own host."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import PASSWORD

from .support import PageCheck, path_of, print_preview, question_keys, wait_for_path

LESSONS = ("tong-quan", "doi-tuong", "ke-hoach")
# The fixture course's right answers (tests/fixtures/content/quizzes/demo/*.yaml).
RIGHT = {"q1": ["a"], "q2": ["a", "b"], "q3": ["true"], "q4": "người dân",
         "f1": ["true"], "f2": ["a"], "f3": ["true"]}
SAVED_AT = re.compile(r"\d{1,2}:\d{2}")  # "… saved at 10:42:07": the time it was saved


def sign_in(page: Any, check: PageCheck, lang: str, email: str) -> None:
    page.goto("/")
    wait_for_path(page, "/login")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        wait_for_path(page, "/login")
    check(page, "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu" if lang == "vi" else "Password", exact=True).fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, "/")


def answer(page: Any, key: str) -> None:
    given = RIGHT[key]
    if isinstance(given, str):
        page.locator(f"[name='q-{key}']").fill(given)
        page.locator(f"[name='q-{key}']").blur()
        return
    for value in given:
        page.locator(f"[name='q-{key}'][value='{value}']").check()


def submit_attempt(page: Any) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button[formaction]").click()
    wait_for_path(page, r"/attempts/\d+/review")


def read_lessons(page: Any, check: PageCheck) -> None:
    page.locator(".course-card h2 a").click()
    wait_for_path(page, "/courses/demo")
    check(page, "course")
    page.locator(".course-intro a.button.primary").click()
    for index, slug in enumerate(LESSONS):
        wait_for_path(page, f"/courses/demo/lessons/{slug}")
        assert page.locator(".course-bar progress").is_visible()  # progress stays in sight
        if index == 0:
            check(page, "lesson")
            print_preview(page, check.label, "lesson")
        page.locator(".lesson-complete button[type=submit]").click()
    wait_for_path(page, "/courses/demo")
    assert page.locator(".outline .lessons li.done").count() >= len(LESSONS)


def take_module_quiz(page: Any, check: PageCheck) -> None:
    page.goto("/courses/demo/quizzes/module-1")
    check(page, "quiz-intro")
    page.locator("form[action$='/attempts'] button").click()
    wait_for_path(page, r"/attempts/\d+")
    check(page, "attempt")
    for key in question_keys(page):
        answer(page, key)
    submit_attempt(page)
    check(page, "review")
    print_preview(page, check.label, "review")
    assert "100%" in page.locator(".score").inner_text()


def take_timed_exam_with_reload(page: Any, check: PageCheck) -> None:
    page.goto("/courses/demo/quizzes/final")
    page.locator("form[action$='/attempts'] button").click()
    wait_for_path(page, r"/attempts/\d+")
    assert page.locator(".timer-value").is_visible()
    first, *rest = question_keys(page)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.headers.get("content-type", "").startswith("application/json")):
        answer(page, first)
    status = page.locator(".autosave-status")
    status.filter(has_text=SAVED_AT).wait_for()
    page.reload()  # the saved answer survives: it came back from the server
    checked = page.locator(f"[name='q-{first}']:checked")
    assert checked.count() == len(RIGHT[first])
    check(page, "attempt-timed")
    for key in rest:
        answer(page, key)
    submit_attempt(page)
    check(page, "review-score-only")


def certificate(page: Any, check: PageCheck) -> None:
    page.goto("/")
    link = page.locator("a[href$='.pdf']")
    href = link.get_attribute("href")
    check(page, "dashboard-certificate")
    pdf = page.context.request.get(href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.locator("a[href^='/verify/']").first.click()
    wait_for_path(page, "/verify/[^/]+")
    check(page, "verify")


@pytest.mark.parametrize("lang,width", [("vi", 360), ("en", 1280), ("vi", 1280), ("en", 360)])
def test_trainee_journey(browser, recorder, trainee, lang, width):
    context = recorder.new_context(browser, width=width)
    page = context.new_page()
    check = PageCheck(recorder, f"{lang}-{width}", lang)
    sign_in(page, check, lang, trainee.email)
    check(page, "dashboard")
    read_lessons(page, check)
    take_module_quiz(page, check)
    take_timed_exam_with_reload(page, check)
    certificate(page, check)
    page.goto("/verify")
    check(page, "verify-form")
    page.goto("/account/password")
    check(page, "password")
    recorder.expected_errors.append("/courses/nope")
    page.goto("/courses/nope")
    check(page, "error-404")
    assert path_of(page) == "/courses/nope"
