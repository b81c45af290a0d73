"""Attempt rules from the quiz file, each checked on the server: the grace period and automatic
submission, grading methods (Moodle's definitions), review rules, pass score."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.domain import attempt_clock
from course_app.extensions import db
from course_app.models import Attempt, Quiz
from course_app.models.types import utcnow
from course_app.progress import service as progress
from course_app.quiz import attempt_pages, attempts

from ..helpers import post, sign_in


def quiz(slug):
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def start(client, slug="final"):
    response = post(client, f"/courses/demo/quizzes/{slug}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def right_answers(attempt):
    values = {"f1": "true", "f2": "a", "f3": "true"}
    return {f"q-{q['key']}": values[q["key"]] for q in attempt.questions}


def overdue(attempt_id, seconds):
    """Move the deadline `seconds` into the past."""
    attempt = db.session.get(Attempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(seconds=seconds)
    db.session.commit()
    return attempt


def test_a_submission_within_the_grace_period_counts(app, client, trainee):
    assert app.config["ATTEMPT_GRACE_SECONDS"] == 60
    sign_in(client, trainee.email)
    attempt_id = start(client)
    attempt = overdue(attempt_id, 20)  # time is up, the grace period is not
    assert post(client, f"/attempts/{attempt_id}/submit", right_answers(attempt)) \
        .status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert (attempt.status, attempt.percent) == ("finished", 100.0)


def test_after_the_grace_period_opening_the_attempt_shows_time_up_and_writes_nothing(client,
                                                                                    trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    attempt = db.session.get(Attempt, attempt_id)
    post(client, f"/attempts/{attempt_id}", right_answers(attempt))  # saved in time
    overdue(attempt_id, 61)
    for page in (f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/review"):
        response = client.get(page)  # a GET that wrote would raise ReadOnlyRequestWrote
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "data-time-up" in html
        assert f'action="/attempts/{attempt_id}/submit"' in html
        db.session.expire_all()
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
    response = post(client, f"/attempts/{attempt_id}/submit", {"q-f1": "false"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    # graded with what was saved in time; the late answer sent with the button is not taken
    assert (attempt.status, attempt.percent) == ("finished", 100.0)
    assert attempt.submitted_at is not None


def test_late_saves_are_not_taken_and_never_fail(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    attempt = overdue(attempt_id, 120)
    response = post(client, f"/attempts/{attempt_id}", right_answers(attempt))
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert (attempt.status, attempt.percent) == ("finished", 0.0)
    assert all(a.response is None for a in attempt.answers)


def test_starting_again_submits_an_expired_attempt_first(client, trainee):
    sign_in(client, trainee.email)
    first = start(client)
    overdue(first, 3600)
    second = start(client)
    assert second != first
    db.session.expire_all()
    assert db.session.get(Attempt, first).status == "finished"
    assert db.session.get(Attempt, second).number == 2


def test_the_page_counts_down_and_submits_at_zero(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    # A loaded CI machine may take a few seconds between the start and the page.
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 1790 <= seconds_left <= 1800
    assert 'data-submit-form="attempt-form"' in html and 'id="attempt-form"' in html
    assert f'formaction="/attempts/{attempt_id}/submit"' in html


def test_no_time_limit_means_no_deadline(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client, "module-1")
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.deadline_at is None and not attempts.deadline_passed(attempt)
    assert attempt_pages.seconds_left(attempt, utcnow()) is None
    assert not attempt_clock.is_over(None, utcnow(), 0)


def finished_attempts(user, slug, percents, pending=()):
    """Finished attempts with the given scores, in order; `pending` numbers wait for grading."""
    target = quiz(slug)
    with writing():
        for number, percent in enumerate(percents, 1):
            status = "needs_grading" if number in pending else "finished"
            db.session.add(Attempt(user_id=user.id, quiz_id=target.id, number=number,
                                   status=status, seed=number, questions=[],
                                   percent=percent, score_raw=percent, score_max=100,
                                   submitted_at=utcnow()))
        db.session.commit()
    return target


@pytest.mark.parametrize(("method", "grade", "passed"), [
    ("highest", 90.0, True), ("last", 40.0, False), ("first", 60.0, False),
    ("average", 63.33, False),
])
def test_grading_methods_follow_moodle(trainee, method, grade, passed):
    target = finished_attempts(trainee, "module-1", [60.0, 90.0, 40.0])
    target.grading = method
    db.session.commit()
    status = progress.quiz_statuses(trainee, [target])[target.id]
    assert (status.grade, status.passed, status.attempts_used) == (grade, passed, 3)


def test_an_attempt_waiting_for_grading_does_not_count_yet(trainee):
    target = finished_attempts(trainee, "module-1", [80.0, 20.0], pending={2})
    target.grading = "last"
    db.session.commit()
    assert progress.quiz_statuses(trainee, [target])[target.id].grade == 80.0


def test_pass_score_is_reached_exactly(trainee):
    target = finished_attempts(trainee, "module-1", [70.0])
    assert target.pass_score == 70
    assert progress.quiz_statuses(trainee, [target])[target.id].passed


def test_full_review_shows_answers_and_score_review_shows_the_score_only(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client, "module-1")
    post(client, f"/attempts/{attempt_id}/submit", {"q-q1": "b"})
    attempt = db.session.get(Attempt, attempt_id)
    full = attempt_pages.review_questions(attempt, quiz("module-1"))
    q1 = next(q for q in full if q.key == "q1")
    assert q1.correct == {"choices": ["a"]} and q1.explanation["vi"] == "Xem Bài 1.1."
    target = quiz("module-1")
    target.review = "score"
    db.session.commit()
    hidden = attempt_pages.review_questions(attempt, target)
    assert all(q.correct is None and q.explanation is None and q.feedback is None
               for q in hidden)
    html = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Xem Bài 1.1." not in html and "Quảng bá hình ảnh" not in html
