"""A dashboard trainers read first (issue 19): the trainee table and the essays awaiting
grading come before the folded charts; names in Vietnamese list order in the table and the
exports; item analysis names each question by its text, shortened."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from course_app.content.markdown import plain_text, shorten
from course_app.models import Cohort

from ..helpers import csrf
from .test_grading import ESSAY, submitted
from .test_journey import correct_answers
from .test_reports import add_trainees, browser, study

NAMES = ["Trần Văn Đức", "Phạm Tiến Dũng", "Nguyễn Thị Hằng", "Lê An", "Hoàng Văn Đạt",
         "Vũ Thị Ánh", "Đỗ Thị Ân"]
ORDER = ["Lê An", "Vũ Thị Ánh", "Đỗ Thị Ân", "Phạm Tiến Dũng", "Hoàng Văn Đạt", "Trần Văn Đức",
         "Nguyễn Thị Hằng"]


@pytest.fixture
def trainer(make_user, cohort):
    return make_user("trainer", email="giangvien@example.vn", name="Giảng viên An", cohort=cohort)


@pytest.fixture
def named_class(make_user, cohort):
    return [make_user("trainee", email=f"hv{i}@example.vn", name=name, cohort=cohort)
            for i, name in enumerate(NAMES)]


def _positions(text: str, names: list[str]) -> list[int]:
    return [text.index(name) for name in names]


def test_the_table_and_waiting_essays_come_before_the_folded_charts(app, trainer, trainee):
    submitted(trainee, "reflection", {"q-e1": ESSAY})
    html = browser(app, trainer, english=True).get("/reports/cohorts/lop-1").get_data(
        as_text=True)
    table, waiting = html.index('id="matrix-heading"'), html.index('id="waiting-heading"')
    charts = html.index('id="charts-heading"')
    assert table < waiting < charts
    assert '<details class="charts-fold">' in html[waiting:charts + 200]
    assert "Essays awaiting grading" in html and "1 attempts wait for a trainer" in html
    assert "/grading/attempts/" in html[waiting:charts]
    assert "Nguyễn Thị Hằng, “" in html[waiting:charts]


def test_no_essay_waiting_says_so(app, trainer, trainee):
    html = browser(app, trainer, english=True).get("/reports/cohorts/lop-1").get_data(
        as_text=True)
    assert "No essay waits for grading." in html


def test_the_table_lists_names_in_vietnamese_order(app, trainer, named_class):
    html = browser(app, trainer).get("/reports/cohorts/lop-1").get_data(as_text=True)
    table = html[html.index('class="matrix"'):]
    positions = _positions(table, ORDER)
    assert positions == sorted(positions)


def test_score_and_certificate_exports_follow_the_same_order(app, trainer, named_class):
    for user in named_class:
        study(user, quizzes={"module-1": correct_answers, "final": correct_answers})
    client = browser(app, trainer)
    token = csrf(client, "/reports/cohorts/lop-1")
    for name in ("scores", "certificates"):
        data = client.post(f"/reports/cohorts/lop-1/{name}.csv",
                           data={"csrf_token": token}).get_data().decode("utf-8-sig")
        listed = [cell for row in csv.reader(io.StringIO(data)) for cell in row
                  if cell in NAMES]
        assert listed == ORDER, name
        sheet = load_workbook(io.BytesIO(client.post(
            f"/reports/cohorts/lop-1/{name}.xlsx", data={"csrf_token": token}).data)).active
        listed = [c.value for row in sheet.iter_rows() for c in row if c.value in NAMES]
        assert listed == ORDER, name


def test_item_analysis_names_questions_by_their_text(app, trainer, cohort: Cohort):
    for user in add_trainees(cohort, 2):
        study(user, quizzes={"module-1": correct_answers})
    html = browser(app, trainer, english=True).get(
        "/reports/cohorts/lop-1/quizzes/module-1").get_data(as_text=True)
    assert "1. What is the main purpose of external information?</a>" in html
    assert ">q1</a>" not in html and ">q1<" not in html
    assert "Question 1" in html


def test_shortened_question_text():
    text = plain_text("**Mục đích** chính của [thông tin](https://x.vn) đối ngoại\n\nlà gì?")
    assert text == "Mục đích chính của thông tin đối ngoại là gì?"
    assert shorten(text, 90) == text
    assert shorten(text, 20) == "Mục đích chính của…"
    assert len(shorten("x" * 200, 90)) == 90
    assert plain_text("a &lt; b <script>alert(1)</script>") == "a < b"  # escaped by Jinja


def test_dashboard_queries_stay_fixed_with_essays_waiting(app, trainer, cohort, make_user,
                                                        count_queries):
    client = browser(app, trainer)
    submitted(make_user("trainee", cohort=cohort), "reflection", {"q-e1": ESSAY})
    client.get("/reports/cohorts/lop-1")
    with count_queries() as few:
        client.get("/reports/cohorts/lop-1")
    for _ in range(3):
        submitted(make_user("trainee", cohort=cohort), "reflection", {"q-e1": ESSAY})
    with count_queries() as many:
        page = client.get("/reports/cohorts/lop-1").get_data(as_text=True)
    assert page.count("/grading/attempts/") == 4
    assert len(many) == len(few), "\n".join(many)
