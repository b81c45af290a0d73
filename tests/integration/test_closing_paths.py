"""Every path that ends an attempt goes through one rule (quiz/closing.py): on the final exam,
each ends with a certificate when the completion rule holds and with none when it does not.
Paths: submit, a POST after the time is up (save), Start again after the time is up, the
periodic sweep, a regrade, and an essay graded by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, Certificate, Course, Lesson, LessonProgress, Question, Quiz
from course_app.models.types import utcnow

from ..helpers import post, sign_in

RIGHT = {"f1": "true", "f2": "a", "f3": "true"}
WRONG = {"f1": "false", "f2": "b", "f3": "false"}


def quiz(slug):
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def certificates(user):
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)))


@pytest.fixture
def ready(trainee):
    """Every lesson read and the module quiz passed: only the final exam is missing."""
    with writing():
        for lesson in db.session.scalars(sa.select(Lesson)):
            db.session.add(LessonProgress(user_id=trainee.id, lesson_id=lesson.id))
        end = utcnow()
        db.session.add(Attempt(user_id=trainee.id, quiz_id=quiz("module-1").id, number=1, seed=1,
                               questions=[], status="finished", percent=100.0,
                               started_at=end - timedelta(minutes=5), submitted_at=end))
        db.session.commit()
    return trainee


@pytest.fixture
def trainee_client(client, ready):
    assert sign_in(client, ready.email).status_code == 302
    return client


def start(client):
    response = post(client, "/courses/demo/quizzes/final/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answers(attempt_id, values):
    attempt = db.session.get(Attempt, attempt_id)
    return {f"q-{q['key']}": values[q["key"]] for q in attempt.questions if q["key"] in values}


def save_then_time_out(client, values):
    attempt_id = start(client)
    assert post(client, f"/attempts/{attempt_id}", answers(attempt_id, values)) \
        .status_code == 302
    with writing():
        db.session.get(Attempt, attempt_id).deadline_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    db.session.expire_all()
    return attempt_id


def closed(attempt_id):
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status != "in_progress" and attempt.submitted_at is not None
    return attempt


@pytest.mark.parametrize(("values", "certified"), [(RIGHT, True), (WRONG, False)])
def test_submit(trainee_client, ready, values, certified):
    attempt_id = start(trainee_client)
    assert post(trainee_client, f"/attempts/{attempt_id}/submit",
                answers(attempt_id, values)).status_code == 302
    closed(attempt_id)
    assert bool(certificates(ready)) is certified


@pytest.mark.parametrize(("values", "certified"), [(RIGHT, True), (WRONG, False)])
def test_a_save_after_the_time_is_up(trainee_client, ready, values, certified):
    attempt_id = save_then_time_out(trainee_client, values)
    page = trainee_client.get(f"/attempts/{attempt_id}")  # shows time up, writes nothing
    assert "data-time-up" in page.get_data(as_text=True) and not certificates(ready)
    response = post(trainee_client, f"/attempts/{attempt_id}", answers(attempt_id, RIGHT))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert closed(attempt_id).percent == (100.0 if certified else 0.0)  # late answers not taken
    assert bool(certificates(ready)) is certified


@pytest.mark.parametrize(("values", "certified"), [(RIGHT, True), (WRONG, False)])
def test_the_time_up_button(trainee_client, ready, values, certified):
    attempt_id = save_then_time_out(trainee_client, values)
    response = post(trainee_client, f"/attempts/{attempt_id}/submit")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    closed(attempt_id)
    assert bool(certificates(ready)) is certified


@pytest.mark.parametrize(("values", "certified"), [(RIGHT, True), (WRONG, False)])
def test_start_again_after_the_time_is_up(trainee_client, ready, values, certified):
    attempt_id = save_then_time_out(trainee_client, values)
    assert start(trainee_client) != attempt_id
    closed(attempt_id)
    assert bool(certificates(ready)) is certified


@pytest.mark.parametrize(("values", "certified"), [(RIGHT, True), (WRONG, False)])
def test_the_sweep(trainee_client, ready, runner, values, certified):
    attempt_id = save_then_time_out(trainee_client, values)
    result = runner.invoke(args=["attempts", "sweep"], catch_exceptions=False)
    assert result.exit_code == 0 and "closed 1 expired attempt(s)" in result.output
    closed(attempt_id)
    assert bool(certificates(ready)) is certified
    again = runner.invoke(args=["attempts", "sweep"], catch_exceptions=False)
    assert "closed 0 expired attempt(s)" in again.output  # nothing closed twice
    assert len(certificates(ready)) == int(certified)


def test_the_sweep_leaves_attempts_within_their_time(trainee_client, ready, runner):
    attempt_id = start(trainee_client)
    with writing():  # over the deadline but within the grace period
        db.session.get(Attempt, attempt_id).deadline_at = utcnow() - timedelta(seconds=10)
        db.session.commit()
    assert "closed 0" in runner.invoke(args=["attempts", "sweep"]).output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "in_progress"


@pytest.fixture
def teacher(app, make_user, cohort):
    user = make_user("trainer", email="giang-vien@example.vn", cohort=cohort)
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def rekey_final(right):
    """Make `right` the correct answers of the final exam (a new version of each question)."""
    with writing():
        for question in db.session.scalars(sa.select(Question).where(
                Question.quiz_id == quiz("final").id)):
            data = dict(question.type_data)
            if question.type == "true_false":
                data["answer"] = right[question.key] == "true"
            else:
                data["choices"] = [{**c, "correct": c["key"] == right[question.key]}
                                   for c in data["choices"]]
            question.type_data, question.version = data, question.version + 1
        db.session.commit()


@pytest.mark.parametrize(("key", "certified"), [("current", True), ("snapshot", False)])
def test_a_regrade(trainee_client, ready, teacher, key, certified):
    attempt_id = start(trainee_client)
    post(trainee_client, f"/attempts/{attempt_id}/submit", answers(attempt_id, WRONG))
    assert closed(attempt_id).percent == 0.0 and not certificates(ready)
    rekey_final(WRONG)  # the key was wrong: the trainee's answers were right
    response = post(teacher, f"/grading/attempts/{attempt_id}/regrade", {"key": key})
    assert response.status_code == 302
    assert closed(attempt_id).percent == (100.0 if certified else 0.0)
    assert bool(certificates(ready)) is certified


def test_a_regrade_of_the_whole_quiz(trainee_client, ready, teacher):
    attempt_id = start(trainee_client)
    post(trainee_client, f"/attempts/{attempt_id}/submit", answers(attempt_id, WRONG))
    rekey_final(WRONG)
    post(teacher, f"/grading/quizzes/{quiz('final').id}/regrade", {"key": "current"})
    assert closed(attempt_id).percent == 100.0 and len(certificates(ready)) == 1


def final_with_an_essay():
    """The final exam as an optional quiz named by the completion rule, with a 10-point essay
    (a required quiz may hold no essay: domain/quiz_rules.py)."""
    with writing():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
        course.completion = {"lessons": "all", "quizzes": "required", "final_exam": "final"}
        final, essay = quiz("final"), quiz("reflection").questions[0]
        final.required, final.draw, final.time_limit_minutes = False, None, None
        db.session.add(Question(quiz_id=final.id, key="e1", position=9, type=essay.type,
                                text=essay.text, points=10.0, type_data=essay.type_data,
                                content_hash=essay.content_hash))
        db.session.commit()


@pytest.mark.parametrize(("points", "certified"), [("10", True), ("0", False)])
def test_an_essay_graded_by_hand(trainee_client, ready, teacher, points, certified):
    final_with_an_essay()
    attempt_id = start(trainee_client)
    form = answers(attempt_id, {**RIGHT, "e1": "Một kế hoạch một trang cho hội nghị."})
    post(trainee_client, f"/attempts/{attempt_id}/submit", form)
    assert closed(attempt_id).status == "needs_grading" and not certificates(ready)
    response = post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": points})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert closed(attempt_id).status == "finished"
    assert bool(certificates(ready)) is certified
