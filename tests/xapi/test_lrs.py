"""xAPI statements reach a real LRS (Ralph, started by the test) through the job queue and are
read back from it; they follow xAPI 1.0.3's rules as the issue lists them."""

from __future__ import annotations

import secrets
from collections import defaultdict
from typing import Any

import pytest
import sqlalchemy as sa

from course_app import jobs, xapi
from course_app.domain import xapi as statements
from course_app.extensions import db
from course_app.models import LessonProgress

from ..helpers import post, take_quiz

ANSWERS: dict[str, Any] = defaultdict(lambda: "x", {"q1": "a", "q2": ["a", "b"], "q3": "true"})


def _ours(lrs: Any, name: str) -> list[dict[str, Any]]:
    return [s for s in lrs.statements(limit="500") if s["actor"]["account"]["name"] == name]


@pytest.fixture
def sending(app, lrs):
    app.config.update(XAPI_URL=lrs.url, XAPI_KEY="course-app", XAPI_SECRET="lrs-secret-for-tests",
                      XAPI_ACTOR_SECRET=secrets.token_hex(16))
    return app


def test_statements_reach_the_lrs_and_read_back_valid(sending, lrs, trainee, login_as, cohort):
    client = login_as(trainee)
    assert post(client, "/courses/demo/lessons/tong-quan/complete").status_code == 302
    take_quiz(client, "module-1", ANSWERS)
    jobs.wait_in_process()
    name = xapi.opaque_id(trainee.id)
    assert len(name) == 32 and "@" not in name
    stored = _ours(lrs, name)
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in stored)
    assert verbs[:3] == ["attempted", "completed", "experienced"]
    assert verbs[3] in ("failed", "passed") and len(verbs) == 4, verbs
    for statement in stored:
        assert statement["actor"] == {"objectType": "Agent", "account": {
            "homePage": "https://khoahoc.example.vn", "name": name}}
        assert statement["verb"]["id"] in statements.VERBS.values()
        assert statement["object"]["id"].startswith("https://khoahoc.example.vn/courses/demo/")
        context = statement["context"]["contextActivities"]
        assert context["parent"][-1]["id"] == "https://khoahoc.example.vn/courses/demo"
        assert context["grouping"][0]["id"] == f"https://khoahoc.example.vn/cohorts/{cohort.slug}"
        assert statement["timestamp"].endswith(("Z", "+00:00"))
        assert trainee.email not in str(statement) and trainee.full_name not in str(statement)
    graded = next(s for s in stored if s["verb"]["id"].endswith(("passed", "failed")))
    score = graded["result"]["score"]
    assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
    assert graded["result"]["success"] is graded["verb"]["id"].endswith("passed")
    lesson = next(s for s in stored if s["verb"]["id"].endswith("experienced"))
    assert lesson["object"]["definition"]["type"] == statements.TYPES["lesson"]


def test_a_retried_delivery_keeps_one_statement(sending, lrs, trainee, login_as, cohort):
    client = login_as(trainee)
    post(client, "/courses/demo/lessons/tong-quan/complete")
    jobs.wait_in_process()
    read = db.session.scalar(sa.select(LessonProgress.lesson_id))
    at = "2026-12-07T00:00:00+00:00"  # the row's time is certified, not the job's
    xapi.deliver("lesson", read, at, user_id=trainee.id)  # the queue's retry: same statement
    xapi.deliver("lesson", read, at, user_id=trainee.id)
    assert len(_ours(lrs, xapi.opaque_id(trainee.id))) == 1


def test_nothing_is_sent_when_the_url_is_unset(app, lrs, trainee, login_as, cohort):
    app.config.update(XAPI_URL=None, XAPI_ACTOR_SECRET=secrets.token_hex(16))
    client = login_as(trainee)
    assert post(client, "/courses/demo/lessons/tong-quan/complete").status_code == 302
    jobs.wait_in_process()
    assert _ours(lrs, xapi.opaque_id(trainee.id)) == []


def test_an_lrs_that_is_down_or_refuses_fails_the_job_not_the_trainee(app, lrs, trainee,
                                                                     login_as, cohort):
    app.config.update(XAPI_URL="http://127.0.0.1:9/xAPI/", XAPI_KEY="k", XAPI_SECRET="s")
    client = login_as(trainee)
    assert post(client, "/courses/demo/lessons/tong-quan/complete").status_code == 302
    jobs.wait_in_process()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1
    lesson_id = db.session.scalar(sa.select(LessonProgress.lesson_id))
    with pytest.raises(xapi.LrsRefused, match="could not be reached"):
        xapi.deliver("lesson", lesson_id, "2026-12-07T00:00:00+00:00", user_id=trainee.id)
    app.config.update(XAPI_URL=lrs.url, XAPI_SECRET="wrong")  # the LRS refuses: 401
    with pytest.raises(xapi.LrsRefused, match="answered 401"):
        xapi.deliver("lesson", lesson_id, "2026-12-07T00:00:00+00:00", user_id=trainee.id)


def test_an_essay_graded_by_hand_sends_its_grade_then(sending, lrs, trainee, login_as, cohort,
                                                      make_user, app):
    from course_app.database import writing
    from course_app.models import Quiz
    from course_app.quiz import starting
    from course_app.transaction import run_after_commit

    from ..helpers import sign_in, submit

    with writing():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "reflection"))
        attempt = starting.start_attempt(trainee, quiz)
        submit(attempt, {"q-e1": ["Mục tiêu: quảng bá hình ảnh."]})
        db.session.commit()
        run_after_commit()
    attempt_id = attempt.id
    jobs.wait_in_process()
    name = xapi.opaque_id(trainee.id)
    waiting = _ours(lrs, name)
    assert sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in waiting) == ["attempted",
                                                                           "completed"]
    assert "score" not in next(s for s in waiting if s["verb"]["id"].endswith("completed"))[
        "result"]
    teacher = app.test_client()
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    assert sign_in(teacher, trainer.email).status_code == 302
    assert post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"}).status_code \
        in (200, 302)
    jobs.wait_in_process()
    graded = [s for s in _ours(lrs, name) if s["verb"]["id"].endswith(("passed", "failed"))]
    assert len(graded) == 1 and 0 <= graded[0]["result"]["score"]["scaled"] <= 1


def test_with_the_queue_a_refused_delivery_is_retried_kept_and_sent_later(
        app, lrs, trainee, login_as, cohort, runner, tmp_path):
    import os

    import redis

    from course_app.jobs import queue

    url = os.environ.get("COURSE_APP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    name = f"course_app_test_xapi.{os.getpid()}.{tmp_path.name}"
    app.config.update(JOBS_URL=url, JOBS_RETRY_SECONDS=0, JOBS_MAX_ATTEMPTS=3,
                      JOBS_QUEUE=name, XAPI_URL="http://127.0.0.1:9/xAPI/",
                      XAPI_KEY="course-app", XAPI_SECRET="lrs-secret-for-tests",
                      XAPI_ACTOR_SECRET=secrets.token_hex(16))
    try:
        browser = login_as(trainee)
        assert post(browser, "/courses/demo/lessons/tong-quan/complete").status_code == 302
        assert queue.counts(app).waiting == 1  # queued after the commit, not yet sent
        result = runner.invoke(args=["jobs", "worker", "--burst"])
        assert "ran 3 job(s)" in result.output, result.output  # the first try and two retries
        [failed] = queue.failed_jobs(app)
        assert failed.attempts == 3 and "LrsRefused" in failed.error
        name = xapi.opaque_id(trainee.id)
        assert _ours(lrs, name) == []
        app.config["XAPI_URL"] = lrs.url  # the LRS is back
        assert "1 job(s) back" in runner.invoke(args=["jobs", "retry-dead"]).output
        assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
        [statement] = _ours(lrs, name)
        assert statement["verb"]["id"] == statements.VERBS["experienced"]
    finally:
        queue.clear(app)
        client.close()


def test_a_regrade_that_changes_a_grade_sends_the_new_one(sending, lrs, trainee, login_as,
                                                          cohort, make_user, app, tmp_path):
    from course_app.transaction import run_after_commit

    from ..helpers import sign_in
    from ..web.test_grading import MODULE_1, corrected_key, submitted

    attempt_id = submitted(trainee, "module-1", MODULE_1)  # 2 of 4 right: 50 %
    run_after_commit()  # as the end of a request does
    jobs.wait_in_process()
    name = xapi.opaque_id(trainee.id)
    [first] = [s for s in _ours(lrs, name) if s["verb"]["id"].endswith(("passed", "failed"))]
    assert first["result"]["score"]["scaled"] == 0.5
    corrected_key(tmp_path)  # b is now right for q1: 75 %
    teacher = app.test_client()
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    assert sign_in(teacher, trainer.email).status_code == 302
    url = f"/grading/attempts/{attempt_id}/regrade"
    assert post(teacher, url, {"key": "current"}).status_code == 302
    assert post(teacher, url, {"key": "current"}).status_code == 302  # no change: nothing new
    jobs.wait_in_process()
    graded = sorted(s["result"]["score"]["scaled"] for s in _ours(lrs, name)
                    if s["verb"]["id"].endswith(("passed", "failed")))
    assert graded == [0.5, 0.75]
