"""Figures always current (issue 16): whatever a page shows is its data's present state, also
after changes that keep every sum and count equal (two trainees' grades swapped by a regrade, a
regrade up then down, one certificate revoked and another issued, a lesson edit of the same
length), and after changes of names, titles, filters and language. Each page is seen once
before the change, so that anything kept between requests would be caught serving the old."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.catalog import content_loader
from course_app.certificates import service as certificates
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, Certificate, Cohort, Course, Lesson, Quiz, User
from course_app.models.types import utcnow
from course_app.people import accounts
from course_app.quiz import answers as saving
from course_app.quiz import attempts, starting, submission

from ..helpers import post, sign_in
from .test_author import lesson_form, trainer_client
from .test_grading import corrected_key, submitted
from .test_journey import correct_answers
from .test_reports import _names, browser, nothing_right, study

URL = "/reports/cohorts/lop-1"


# A signed CSRF token carries the second it was signed: two views a second apart differ there.
SIGNED_TOKEN = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+')


def main_of(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 200
    html = SIGNED_TOKEN.sub(r"\1TOKEN", response.get_data(as_text=True))
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


def test_the_dashboard_follows_data_names_titles_filters_and_language(
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


# --- changes that keep every sum and count equal ---------------------------------------------

# module-1 has four questions of a point each; q1's key is a (b once corrected_key has run).
# X answers q1 with b and q3 right: 25 % before the correction, 50 % after. Y answers q1 with a,
# q2 and q3 right... minus q2: 50 % before, 25 % after. Sum, count and pass count stay equal.
X_ANSWERS = {"q-q1": "b", "q-q2": ["c"], "q-q3": "true", "q-q4": "không"}
Y_ANSWERS = {"q-q1": "a", "q-q2": ["c"], "q-q3": "true", "q-q4": "không"}


def row_of(html: str, user: User) -> str:
    """The dashboard's table row of `user`."""
    found = re.search(rf'<tr>\s*<th scope="row"><a href="[^"]*/trainees/{user.id}">.*?</tr>',
                      html, re.S)
    assert found, user.email
    return found.group(0)


def module_grade(html: str, user: User) -> str:
    """What the row shows in module-1's column."""
    heads = re.findall(r'<span class="col-head">([^<]*)', html)
    quizzes = [head for head in heads if not re.match(r"\d+\. ", head)]
    cells = re.findall(r'<td class="(?:pass|fail|)">([^<]*)', row_of(html, user))
    return cells[quizzes.index("Kiểm tra mô-đun 1")]


def load(package: Path) -> None:
    """Load `package`: a changed answer key gives its questions a new version."""
    courses, problems = read_package(package)
    assert not [p for p in problems if not p.warning], problems
    with writing():
        content_loader.load_courses(courses)
        db.session.commit()


def regrade(teacher) -> None:  # type: ignore[no-untyped-def]
    """Regrade module-1 with the current key, as a trainer does."""
    quiz_id = db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == "module-1"))
    assert post(teacher, f"/grading/quizzes/{quiz_id}/regrade", {"key": "current"}
                ).status_code == 302


@pytest.fixture
def x_and_y(make_user, cohort):  # type: ignore[no-untyped-def]
    trainer = make_user("trainer", email="giangvien@example.vn", cohort=cohort)
    x = make_user("trainee", email="x@example.vn", name="Học Viên X", cohort=cohort)
    y = make_user("trainee", email="y@example.vn", name="Học Viên Y", cohort=cohort)
    submitted(x, "module-1", X_ANSWERS)
    submitted(y, "module-1", Y_ANSWERS)
    return trainer, x, y


def test_two_trainees_grades_swapped_by_a_regrade_show_at_once(app, x_and_y, tmp_path):
    trainer, x, y = x_and_y
    client = browser(app, trainer)
    before = main_of(client)
    assert (module_grade(before, x), module_grade(before, y)) == ("25%", "50%")
    assert main_of(client) == before  # seen twice: anything kept would be kept now
    corrected_key(tmp_path)  # q1: b is right, not a
    regrade(client)
    after = main_of(client)
    assert (module_grade(after, x), module_grade(after, y)) == ("50%", "25%")
    assert numbers(after) == numbers(before)  # every figure of the summary is the same


def test_a_regrade_up_then_down_shows_each_grade(app, x_and_y, tmp_path):
    from tests.conftest import CONTENT

    trainer, x, _y = x_and_y
    client = browser(app, trainer)
    assert module_grade(main_of(client), x) == "25%"
    corrected_key(tmp_path)
    regrade(client)
    assert module_grade(main_of(client), x) == "50%"
    load(CONTENT)  # the original key again: back down
    regrade(client)
    assert module_grade(main_of(client), x) == "25%"
    assert db.session.scalar(sa.select(Attempt.percent).where(Attempt.user_id == x.id)) == 25.0


def _complete_without_certificate(user: User) -> None:
    """Every lesson read and every quiz passed, the certificate not yet issued."""
    study(user, quizzes={"module-1": correct_answers}, lessons=())
    with writing():
        course = accounts.get_course("demo")
        person = db.session.get(User, user.id)
        attempt = starting.start_attempt(person, attempts.get_quiz(course.id, "final"))
        answers = correct_answers(attempt)
        responses, errors = saving.parse_answers(attempt, {
            k: v if isinstance(v, list) else [v] for k, v in answers.items()})
        assert not errors
        # graded below the one rule (quiz/closing.py), which would issue the certificate
        assert submission.grade_and_close(attempt, responses, utcnow())
        db.session.commit()


def test_one_certificate_revoked_and_another_issued_show_at_once(app, make_user, cohort):
    trainer = make_user("trainer", email="giangvien@example.vn", cohort=cohort)
    first = make_user("trainee", email="a@example.vn", name="Học Viên A", cohort=cohort)
    second = make_user("trainee", email="b@example.vn", name="Học Viên B", cohort=cohort)
    study(first, quizzes={"module-1": correct_answers, "final": correct_answers})
    study(second, quizzes={})  # every lesson read
    _complete_without_certificate(second)
    client = browser(app, trainer)
    before = main_of(client)
    assert "state-certified" in row_of(before, first)
    assert "state-completed" in row_of(before, second)
    with writing():  # one transaction: as many certificates, as many valid ones
        held = db.session.scalar(sa.select(Certificate).where(Certificate.user_id == first.id))
        certificates.revoke(held, "Sai sót", None)
        issued = certificates.issue_if_complete(db.session.get(User, second.id),
                                                accounts.get_course("demo"))
        assert issued is not None
        db.session.commit()
    after = main_of(client)
    assert "state-completed" in row_of(after, first)
    assert "state-certified" in row_of(after, second)
    assert numbers(after) == numbers(before)


def page_text(client, url: str) -> str:
    return SIGNED_TOKEN.sub(r"\1TOKEN", client.get(url).get_data(as_text=True))


def test_a_published_lesson_edit_of_the_same_length_shows_on_the_lesson_page(
        app, trainee, make_user):
    learner = app.test_client()
    assert sign_in(learner, trainee.email).status_code == 302
    url = "/courses/demo/lessons/tong-quan"
    before = page_text(learner, url)
    assert page_text(learner, url) == before  # seen twice: kept, if ever
    author = trainer_client(app, make_user)
    editor = author.get("/author/courses/demo/lessons/1").get_data(as_text=True)
    fields = lesson_form(editor)
    old_title = fields["title-vi"]
    new_title = old_title[::-1]  # the same letters, the same length
    assert new_title != old_title and new_title not in before
    assert post(author, "/author/courses/demo/lessons/1",
                lesson_form(editor, **{"title-vi": new_title})).status_code == 302
    assert post(author, "/author/courses/demo/lesson/1/publish").status_code == 302
    after = learner.get(url).get_data(as_text=True)
    assert new_title in after and old_title not in after
