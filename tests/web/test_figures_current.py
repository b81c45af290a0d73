"""The cohort dashboard's content is rendered once per state of the cohort's data and kept per
process (course_app/kept_render.py, reports.views.cohort): every input of that content must
show at once, and a kept page must be exactly what a fresh render prints."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Cohort, Course, Lesson, Quiz

from .test_journey import correct_answers
from .test_reports import _names, browser, nothing_right, study

URL = "/reports/cohorts/lop-1"
KEPT = "course_app.kept_renders"


def main_of(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def numbers(html: str) -> list[str]:
    return re.findall(r'<span class="number">([^<]+)</span>', html)


def edit(model, where, **values) -> None:  # type: ignore[no-untyped-def]
    with writing():
        row = db.session.scalar(sa.select(model).where(where))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


@pytest.fixture
def class_of_two(make_user, cohort):  # type: ignore[no-untyped-def]
    """A trainer; Trần Văn Đức read a lesson and failed a quiz; Lê An has done nothing."""
    trainer = make_user("trainer", email="giangvien@example.vn", name="Giảng viên An",
                        cohort=cohort)
    duc = make_user("trainee", email="duc@example.vn", name="Trần Văn Đức",
                    unit="Sở Ngoại vụ", cohort=cohort)
    an = make_user("trainee", email="an@example.vn", name="Lê An", unit=None, cohort=cohort)
    study(duc, lessons=("tong-quan",), quizzes={"module-1": nothing_right})
    return trainer, duc, an


def test_a_kept_dashboard_is_what_a_fresh_render_prints(app, class_of_two):
    trainer = class_of_two[0]
    assert not app.debug  # debug mode renders every time: nothing would be kept
    client = browser(app, trainer)
    first = main_of(client)
    assert app.extensions[KEPT].entries  # the content was kept
    assert main_of(client) == first
    app.extensions.pop(KEPT)
    assert main_of(client) == first  # rendered afresh


def test_the_kept_content_follows_data_names_titles_filters_and_language(
        app, cohort, make_user, class_of_two):
    trainer, duc, an = class_of_two
    colleague = make_user("trainer", email="giangvien2@example.vn", cohort=cohort)
    # The language is the account's: two trainers, one reading in English.
    vietnamese, english = browser(app, trainer), browser(app, colleague, english=True)
    before = main_of(vietnamese)
    assert numbers(before)[:2] == ["2", "1"]  # enrolled, started
    assert "Progress of each trainee" in main_of(english)

    study(an, lessons=("tong-quan",))  # the data
    assert numbers(main_of(vietnamese))[:2] == ["2", "2"]
    edit(Cohort, Cohort.id == cohort.id, name="Lớp bồi dưỡng mùa thu")  # the cohort's name
    assert "Lớp bồi dưỡng mùa thu" in main_of(vietnamese)
    # Each title on its own: a column's heading, a quiz's, the course's.
    edit(Lesson, Lesson.slug == "tong-quan",
         title={"vi": "Bài mở đầu mới", "en": "A new first lesson"})
    assert "Bài mở đầu mới" in main_of(vietnamese)
    assert "A new first lesson" in main_of(english)
    edit(Quiz, Quiz.slug == "module-1", title={"vi": "Kiểm tra mới", "en": "A new check"})
    assert "Kiểm tra mới" in main_of(vietnamese)
    edit(Course, Course.slug == "demo", title={"vi": "Khóa học đổi tên", "en": "Renamed course"})
    assert "Khóa học đổi tên" in main_of(vietnamese)
    page = main_of(english)
    assert "A new check" in page and "Renamed course" in page
    assert "Bài mở đầu mới" not in page and "Progress of each trainee" in page

    filtered = vietnamese.get(f"{URL}?q=duc").get_data(as_text=True)  # the filters
    assert _names(filtered) == ["Trần Văn Đức"]
    assert _names(vietnamese.get(f"{URL}?q=le+an").get_data(as_text=True)) == ["Lê An"]
    assert '<td class="fail">' in filtered and '<td class="pass">' not in filtered
    study(duc, lessons=(), quizzes={"module-1": correct_answers})  # the data again, filtered
    filtered = vietnamese.get(f"{URL}?q=duc").get_data(as_text=True)
    assert _names(filtered) == ["Trần Văn Đức"] and '<td class="pass">' in filtered
