"""The trainer's journey in a real browser, in Vietnamese and English, on a 360 px phone and a
1280 px desktop: sign in, enrol a cohort from a CSV roster (a broken file first, then the fixed
one, then the credentials sheet), author a single-choice question and preview it, then read the
cohort dashboard with its charts, one trainee's page and a quiz's item analysis. Every page
passes axe-core (WCAG 2.1 A/AA), has the right <html lang>, shows no text of the other language,
fits the window's width and asks only the app's own host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from course_app.extensions import db
from course_app.models import Attempt

from ..helpers import PASSWORD, post, sign_in
from .support import PageCheck, wait_for_path
from .translated import untranslated

HEADER = "full_name,email,unit,position"
BROKEN = [HEADER, "Phạm Quỳnh Hương,khong-phai-email,Sở Ngoại vụ,Chuyên viên",
          "Lê Minh Anh,anh.lm@haiphong.gov.vn,Cổng thông tin điện tử,Biên tập viên"]
FIXED = [BROKEN[0], "Phạm Quỳnh Hương,huong.pq@haiphong.gov.vn,Sở Ngoại vụ,Chuyên viên",
         BROKEN[2]]
QUESTION = {"vi": "Kênh nào đến được nhiều người dân nhất?",
            "en": "Which channel reaches the most residents?"}
CHOICES = [("Mạng xã hội", "Social media"), ("Bảng tin", "Notice board")]
# Page-level horizontal scrolling (wide tables must scroll inside their own box instead), and
# the elements that stick out, to say what to fix.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
STICKING_OUT = """() => {
  const clipped = el => { for (let up = el.parentElement; up; up = up.parentElement)
    if (getComputedStyle(up).overflowX !== 'visible') return true; return false; };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(el => getComputedStyle(el).position === 'absolute' || !clipped(el)).slice(0, 8)
    .map(el => `${el.tagName.toLowerCase()}.${el.classList.value}`);
}"""
CHART_ALTERNATIVES = """() => [...document.querySelectorAll('svg')].map(svg => {
  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const named = ids.map(id => document.getElementById(id)?.textContent.trim() || '').join(' ');
  const table = svg.closest('figure')?.querySelector('table tbody tr');
  return {role: svg.getAttribute('role'), name: (svg.getAttribute('aria-label') || named).trim(),
          title: svg.querySelector('title')?.textContent.trim() || '', table: Boolean(table)};
})"""


@pytest.fixture
def trainer(make_user: Any, cohort: Any) -> Any:
    return make_user("trainer", email="giangvien@example.vn", name="Giảng viên An", cohort=cohort)


@pytest.fixture
def attempted(app: Any, trainee: Any) -> Any:
    """The trainee has taken the module quiz once, so the reports have figures to show."""
    client = app.test_client()
    assert sign_in(client, trainee.email).status_code == 302
    started = post(client, "/courses/demo/quizzes/module-1/attempts").headers["Location"]
    attempt = db.session.get(Attempt, int(started.rsplit("/", 1)[1]))
    answers = {"q-q1": "a", "q-q2": ["a"], "q-q3": "false", "q-q4": "người dân"}
    answers = {k: v for k, v in answers.items() if k[2:] in {q["key"] for q in attempt.questions}}
    assert post(client, f"/attempts/{attempt.id}/submit", answers).status_code == 302
    return trainee


class TrainerCheck(PageCheck):
    """The support helper's checks, plus: no text of the other language, no page-wide
    horizontal scrolling (a control cut off at 360 px)."""

    def __call__(self, page: Any, name: str) -> None:
        super().__call__(page, name)
        assert untranslated(page, self.lang) == [], f"{name} ({page.url})"
        assert page.evaluate(OVERFLOW) <= 0, (name, page.url, page.evaluate(STICKING_OUT))


def sign_in_as_trainer(page: Any, check: PageCheck, lang: str, email: str) -> None:
    page.goto("/login")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        wait_for_path(page, "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, "/")
    page.goto("/reports/")
    check(page, "reports")


def upload(page: Any, path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    wait_for_path(page, "/reports/cohorts/lop-1/enrol")


def enrol_from_csv(page: Any, check: PageCheck, folder: Path) -> None:
    recorder = check.recorder
    page.locator("a[href='/reports/cohorts/lop-1']").first.click()
    wait_for_path(page, "/reports/cohorts/lop-1")
    page.locator("a[href$='/enrol']").click()
    wait_for_path(page, "/reports/cohorts/lop-1/enrol")
    check(page, "enrol")
    recorder.expected_errors.append("/reports/cohorts/lop-1/enrol")  # the 400 of a broken file
    upload(page, folder / "broken.csv", BROKEN)
    error_row = page.locator("tr.has-errors")
    assert error_row.count() == 1 and error_row.locator("th").inner_text() == "2"
    assert "email" in error_row.locator("td.errors").inner_text()
    assert page.locator(".notice.error[role=alert]").is_visible()
    assert page.locator("form[action$='/enrol/confirm']").count() == 0  # nothing to confirm
    check(page, "enrol-errors")
    upload(page, folder / "fixed.csv", FIXED)
    assert page.locator("tr.has-errors").count() == 0
    check(page, "enrol-preview")
    page.locator("form[action$='/enrol/confirm'] button[type=submit]").click()
    wait_for_path(page, "/reports/cohorts/lop-1/enrol/credentials/[^/]+")
    sheet = page.locator(".credentials-sheet tbody tr")
    assert sheet.count() == 2
    assert "huong.pq@haiphong.gov.vn" in sheet.first.inner_text() + sheet.last.inner_text()
    assert all(len(p.strip()) >= 8 for p in sheet.locator("td.password").all_inner_texts())
    check(page, "credentials")


def fill_question(page: Any) -> None:
    page.locator("#f-text-vi").fill(QUESTION["vi"])
    page.locator("#f-text-en").fill(QUESTION["en"])
    for index, (vi, en) in enumerate(CHOICES):
        page.locator(f"#f-choices-{index}-text-vi").fill(vi)
        page.locator(f"#f-choices-{index}-text-en").fill(en)
    page.locator("input[name=correct][value='0']").check()


def author_question(page: Any, check: PageCheck, lang: str) -> None:
    page.goto("/author/")
    check(page, "author")
    page.locator("a[href='/author/courses/demo']").click()
    wait_for_path(page, "/author/courses/demo")
    check(page, "author-course")
    page.locator(".quiz-list a[href^='/author/courses/demo/quizzes/']").first.click()
    wait_for_path(page, r"/author/courses/demo/quizzes/\d+")
    check(page, "author-quiz")
    page.locator("#f-type").select_option("single")
    page.locator("form[action$='/questions/new'] button[type=submit]").click()
    wait_for_path(page, r"/author/courses/demo/quizzes/\d+/questions/new")
    check(page, "question-new")
    fill_question(page)
    page.locator("button[name=action][value=preview]").click()
    preview = page.locator(".trainee-preview")
    preview.locator("input[type=radio]").first.wait_for()
    assert QUESTION[lang] in preview.inner_text()
    assert preview.locator("input[type=radio]").count() == len(CHOICES)
    check(page, "question-preview")
    page.once("dialog", lambda dialog: dialog.accept())  # the "unsaved changes" guard, if any
    page.locator("button[name=action][value=save]").click()
    wait_for_path(page, r"/author/courses/demo/questions/\d+")
    assert page.locator(".flash-success").is_visible()
    page.locator("nav.breadcrumbs a[href*='/quizzes/']").click()
    page.locator("a[href$='/preview']").click()
    wait_for_path(page, r"/author/courses/demo/quizzes/\d+/preview")
    assert QUESTION[lang] in page.locator(".trainee-preview").inner_text()
    check(page, "quiz-preview")


def assert_charts_have_text_alternatives(page: Any, least: int) -> None:
    charts = page.evaluate(CHART_ALTERNATIVES)
    assert len(charts) >= least, charts
    for chart in charts:
        assert chart["role"] == "img" and chart["name"] and chart["title"], chart
        assert chart["table"], chart  # the same numbers, as a table


def read_reports(page: Any, check: PageCheck, trainee_name: str) -> None:
    page.goto("/reports/cohorts/lop-1")
    enrolled = page.locator(".stats li .number").first.inner_text()
    assert enrolled == "3", enrolled  # the fixture's trainee and the two imported ones
    assert_charts_have_text_alternatives(page, least=3)
    check(page, "cohort")
    page.locator("table.matrix a", has_text=trainee_name).click()
    wait_for_path(page, r"/reports/cohorts/lop-1/trainees/\d+")
    assert page.locator("section[id^='attempt-']").count() == 1
    check(page, "trainee")
    page.goto("/reports/cohorts/lop-1")
    # The quiz's column head in the trainee table (the chart's link is in the folded charts).
    page.locator("a[href^='/reports/cohorts/lop-1/quizzes/module-1']").first.click()
    wait_for_path(page, "/reports/cohorts/lop-1/quizzes/module-1")
    assert_charts_have_text_alternatives(page, least=1)
    assert page.locator("section[id^='question-']").count() >= 1
    check(page, "item-analysis")


@pytest.mark.parametrize("lang,width", [("vi", 360), ("en", 1280), ("vi", 1280), ("en", 360)])
def test_trainer_journey(browser, recorder, trainer, attempted, lang, width, tmp_path):
    page = recorder.new_context(browser, width=width).new_page()
    # Numbered from 51 so the trainer's screenshots follow the trainee's in the same folder.
    check = TrainerCheck(recorder, f"{lang}-{width}", lang, count=50)
    sign_in_as_trainer(page, check, lang, trainer.email)
    enrol_from_csv(page, check, tmp_path)
    author_question(page, check, lang)
    read_reports(page, check, attempted.full_name)
    assert check.count == 50 + 14  # every page above was checked
    assert recorder.foreign_requests() == []
