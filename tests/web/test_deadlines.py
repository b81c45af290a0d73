"""Deadlines hold on every write path (issue 19): starting, saving, submitting, autosaving and
the signed-out resume, before a cohort starts, after it ends, outside a quiz's window; and a
trainee's overrides apply (an extra attempt, extra minutes, a later close). Cohorts without
dates stay open (the rest of the suite relies on it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Answer, Attempt, Cohort, Override, Quiz, QuizWindow
from course_app.models.types import utcnow

from ..helpers import PASSWORD, csrf, post, sign_in

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


def today() -> date:
    return datetime.now(HCM).date()


def quiz(slug: str) -> Quiz:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def set_dates(cohort: Cohort, starts: date | None, ends: date | None) -> None:
    with writing():
        row = db.session.get(Cohort, cohort.id)
        row.starts_on, row.ends_on = starts, ends
        db.session.commit()


def set_window(cohort: Cohort, slug: str, opens=None, closes=None) -> None:
    with writing():
        db.session.merge(QuizWindow(cohort_id=cohort.id, quiz_id=quiz(slug).id, opens_at=opens,
                                    closes_at=closes))
        db.session.commit()


def give(cohort: Cohort, user, slug: str | None, **values) -> None:
    with writing():
        db.session.add(Override(cohort_id=cohort.id, user_id=user.id,
                                quiz_id=quiz(slug).id if slug else None, **values))
        db.session.commit()


def attempts_of(user) -> list[Attempt]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Attempt).where(Attempt.user_id == user.id)
                                   .order_by(Attempt.id)))


def saved(attempt_id: int) -> dict:
    db.session.expire_all()
    return {a.question_key: a.response for a in db.session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt_id)) if a.response is not None}


def start(client, slug="module-1"):
    return post(client, f"/courses/demo/quizzes/{slug}/attempts")


def started_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def signed_in(client, trainee):
    assert sign_in(client, trainee.email).status_code == 302
    return client


def test_before_the_cohort_starts_lessons_read_but_no_quiz_starts(signed_in, trainee, cohort):
    set_dates(cohort, today() + timedelta(days=2), today() + timedelta(days=30))
    assert signed_in.get("/courses/demo/lessons/tong-quan").status_code == 200
    intro = signed_in.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert 'data-start-refused="not_open_yet"' in intro
    assert "/courses/demo/quizzes/module-1/attempts" not in intro  # no start button
    refused = start(signed_in)
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/courses/demo/quizzes/module-1"
    page = signed_in.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Bài kiểm tra này mở vào" in page  # the reason, translated
    assert attempts_of(trainee) == []


def test_after_the_cohort_ends_no_start_and_submitted_work_stays(signed_in, trainee, cohort):
    done = started_id(start(signed_in))
    assert post(signed_in, f"/attempts/{done}/submit", {"q-q1": "a"}).status_code == 302
    set_dates(cohort, today() - timedelta(days=30), today() - timedelta(days=1))
    refused = start(signed_in)
    assert refused.headers["Location"] == "/courses/demo/quizzes/module-1"
    intro = signed_in.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert 'data-start-refused="closed"' in intro and "đã đóng vào" in intro
    assert len(attempts_of(trainee)) == 1
    assert signed_in.get(f"/attempts/{done}/review").status_code == 200


@pytest.fixture
def closed_in_progress(signed_in, trainee, cohort):
    """An attempt started while open, with one answer saved; then the cohort ended."""
    attempt_id = started_id(start(signed_in))
    assert post(signed_in, f"/attempts/{attempt_id}", {"q-q1": "a"}).status_code == 302
    set_dates(cohort, today() - timedelta(days=30), today() - timedelta(days=1))
    return attempt_id


def _closed_with_what_was_saved(attempt_id: int) -> None:
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status != "in_progress"
    assert saved(attempt_id) == {"q1": "a"}  # the late answer was not taken, the saved one kept


def test_saving_after_the_close_submits_what_was_saved(signed_in, closed_in_progress):
    url = f"/attempts/{closed_in_progress}"
    response = post(signed_in, url, {"q-q1": "b", "q-q4": "dân"})
    assert response.status_code == 302 and response.headers["Location"] == url + "/review"
    _closed_with_what_was_saved(closed_in_progress)
    review = signed_in.get(url + "/review").get_data(as_text=True)
    assert "câu trả lời bạn đã lưu đã được nộp" in review


def test_autosave_after_the_close_answers_closed_in_json(signed_in, closed_in_progress):
    url = f"/attempts/{closed_in_progress}"
    reply = signed_in.post(url, data={"q-q1": "b", "csrf_token": csrf(signed_in)},
                           headers=FETCH)
    assert reply.status_code == 200 and reply.get_json()["status"] == "closed"
    assert reply.get_json()["redirect"] == url + "/review"
    _closed_with_what_was_saved(closed_in_progress)


def test_submitting_after_the_close_grades_what_was_saved(signed_in, closed_in_progress):
    url = f"/attempts/{closed_in_progress}"
    response = post(signed_in, url + "/submit", {"q-q1": "b"})
    assert response.headers["Location"] == url + "/review"
    _closed_with_what_was_saved(closed_in_progress)


def test_the_signed_out_resume_saves_nothing_after_the_close(app, trainee, closed_in_progress):
    other = app.test_client()  # signed out: the recovery page's sign-in form posts here
    url = f"/attempts/{closed_in_progress}"
    back = other.post(url + "/resume", data={"email": trainee.email, "password": PASSWORD,
                                             "csrf_token": csrf(other), "q-q1": "b"})
    assert back.status_code == 302 and back.headers["Location"] == url
    assert saved(closed_in_progress) == {"q1": "a"}
    attempt = db.session.get(Attempt, closed_in_progress)
    assert attempt.deadline_at is not None and attempt.deadline_at < utcnow()  # capped
    page = other.get(url).get_data(as_text=True)  # the time-up page: its button closes it
    assert f'action="{url}/submit"' in page and 'name="q-q1"' not in page


def test_a_save_before_the_opening_is_refused_with_a_message(signed_in, cohort, trainee):
    attempt_id = started_id(start(signed_in))
    set_dates(cohort, today() + timedelta(days=3), None)  # the start moved later
    url = f"/attempts/{attempt_id}"
    reply = signed_in.post(url, data={"q-q1": "b", "csrf_token": csrf(signed_in)},
                           headers=FETCH)
    assert reply.status_code == 403 and reply.get_json()["status"] == "refused"
    assert "mở vào" in reply.get_json()["message"]
    page = post(signed_in, url, {"q-q1": "b"})
    assert page.headers["Location"] == "/courses/demo/quizzes/module-1"
    assert post(signed_in, url + "/submit", {"q-q1": "b"}).status_code == 302
    assert saved(attempt_id) == {} and attempts_of(trainee)[0].status == "in_progress"


def test_a_quiz_window_holds_for_its_quiz_only(signed_in, cohort, trainee):
    set_window(cohort, "module-1", closes=utcnow() - timedelta(hours=1))
    assert start(signed_in).headers["Location"] == "/courses/demo/quizzes/module-1"
    set_window(cohort, "reflection", opens=utcnow() + timedelta(hours=1))
    assert start(signed_in, "reflection").headers["Location"] == \
        "/courses/demo/quizzes/reflection"
    assert started_id(start(signed_in, "final"))  # no window: the cohort's dates (none)


def test_the_attempt_deadline_is_capped_at_the_close(signed_in, cohort, trainee):
    closes = utcnow() + timedelta(minutes=10)
    set_window(cohort, "final", closes=closes)
    attempt = db.session.get(Attempt, started_id(start(signed_in, "final")))
    assert abs((attempt.deadline_at - closes).total_seconds()) < 1  # not started + 30 minutes
    untimed = db.session.get(Attempt, started_id(start(signed_in)))
    assert untimed.deadline_at is None  # module-1: no window, no limit


def test_an_extra_attempt_lets_a_fourth_start(signed_in, cohort, trainee):
    for _ in range(3):
        attempt_id = started_id(start(signed_in))
        assert post(signed_in, f"/attempts/{attempt_id}/submit", {"q-q1": "a"}).status_code == 302
    assert start(signed_in).headers["Location"] == "/courses/demo/quizzes/module-1"
    give(cohort, trainee, "module-1", extra_attempts=1)
    intro = signed_in.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert "Đã dùng 3/4 lượt" in intro and "đã gia hạn cho bạn" not in intro  # no dates shown
    fourth = started_id(start(signed_in))
    assert db.session.get(Attempt, fourth).number == 4
    assert post(signed_in, f"/attempts/{fourth}/submit", {"q-q1": "a"}).status_code == 302
    assert start(signed_in).headers["Location"] == "/courses/demo/quizzes/module-1"


def test_extra_minutes_extend_the_deadline(signed_in, cohort, trainee):
    give(cohort, trainee, None, extra_minutes=15)  # every quiz of the course
    attempt = db.session.get(Attempt, started_id(start(signed_in, "final")))
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45)


def test_a_later_close_lets_them_start_after_the_cohort_ended(signed_in, cohort, trainee,
                                                              make_user):
    set_dates(cohort, today() - timedelta(days=30), today() - timedelta(days=1))
    later = utcnow() + timedelta(days=2)
    give(cohort, trainee, "module-1", closes_at=later)
    attempt = db.session.get(Attempt, started_id(start(signed_in)))
    assert abs((attempt.deadline_at - later).total_seconds()) < 1  # capped at their close
    assert post(signed_in, f"/attempts/{attempt.id}", {"q-q1": "b"}).status_code == 302
    assert saved(attempt.id) == {"q1": "b"}
    assert start(signed_in, "final").headers["Location"] == "/courses/demo/quizzes/final"
    peer = make_user("trainee", email="peer@example.vn", cohort=cohort)
    other = signed_in.application.test_client()
    sign_in(other, peer.email)
    assert start(other).headers["Location"] == "/courses/demo/quizzes/module-1"


def test_an_override_given_during_an_attempt_moves_its_deadline(signed_in, cohort, trainee,
                                                                make_user):
    from course_app.schedule import holding

    attempt_id = started_id(start(signed_in, "final"))
    give(cohort, trainee, "final", extra_minutes=20)
    with writing():
        assert holding.refresh_open_attempts([trainee.id], cohort.course_id) == 1
        db.session.commit()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=50)


def test_an_untimed_attempt_counts_down_only_near_the_close(signed_in, cohort, trainee):
    set_window(cohort, "module-1", closes=utcnow() + timedelta(days=2))
    attempt_id = started_id(start(signed_in))
    assert "data-seconds-left" not in signed_in.get(f"/attempts/{attempt_id}").get_data(
        as_text=True)
    set_window(cohort, "module-1", closes=utcnow() + timedelta(minutes=50))
    from course_app.schedule import holding

    with writing():
        assert holding.refresh_cohort(cohort.id, cohort.course_id) == 1
        db.session.commit()
    page = signed_in.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'data-seconds-left="' in page  # the close is near: it counts down and submits
