"""`flask dev seed-scale`: bulk test data of a given size, and the pages that must stay usable on
it (a cohort's report, item analysis, the verify page, a trainee's dashboard)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from course_app.extensions import db
from course_app.models import (
    Answer,
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    LessonProgress,
    User,
    cohort_trainer,
)

from ..helpers import PASSWORD, sign_in

TRAINEES, ATTEMPTS, COHORT_SIZE = 300, 2000, 120


def _count(what: Any, *where: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(what).where(*where))


def _seed(runner: Any, *args: str) -> Any:
    return runner.invoke(args=["dev", "seed-scale", "--password", PASSWORD, *args])


@pytest.fixture
def seeded(runner: Any, loaded: Any) -> Any:
    result = _seed(runner, "--trainees", str(TRAINEES), "--attempts", str(ATTEMPTS),
                   "--cohort-size", str(COHORT_SIZE))
    assert result.exit_code == 0, result.output
    return result


def test_seed_scale_writes_the_asked_numbers_of_rows(seeded: Any):
    assert f"seeded {TRAINEES} trainees in 3 cohorts" in seeded.output
    assert _count(User, User.role == "trainee") == TRAINEES
    assert _count(User, User.role == "trainer") == 1
    assert _count(Cohort) == 3
    assert _count(Enrolment) == TRAINEES
    assert _count(cohort_trainer) == 3
    assert _count(Attempt) == ATTEMPTS
    assert _count(Attempt, Attempt.status != "finished") == 0
    assert _count(LessonProgress) > 0
    assert 0 < _count(Certificate) < TRAINEES


def test_every_seeded_attempt_has_one_graded_answer_per_question(seeded: Any):
    shown = sum(len(q) for q in db.session.scalars(sa.select(Attempt.questions)))
    assert _count(Answer) == shown
    assert _count(Answer, Answer.fraction.is_(None)) == 0
    quizzes = db.session.scalar(sa.select(sa.func.count(sa.distinct(Attempt.quiz_id))))
    assert quizzes == 3  # spread over every quiz of the test course
    wrong = _count(Attempt, Attempt.percent < 100)
    assert 0 < wrong < ATTEMPTS


def _signed_in(client: FlaskClient, email: str) -> FlaskClient:
    response = sign_in(client, email, PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def test_reports_of_a_seeded_cohort_render(seeded: Any, client: FlaskClient):
    trainer = _signed_in(client, "giangvien@scale.example.vn")
    page = trainer.get("/reports/cohorts/scale-00002")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "hocvien000121@scale.example.vn" in html or "Nguyễn" in html
    items = trainer.get("/reports/cohorts/scale-00002/quizzes/module-1")
    assert items.status_code == 200


def test_seeded_trainee_dashboard_and_certificate_render(seeded: Any, client: FlaskClient):
    code, email = db.session.execute(sa.select(Certificate.code, User.email).join(
        User, User.id == Certificate.user_id).limit(1)).one()
    assert client.get(f"/verify/{code}.json").get_json()["status"] == "valid"
    trainee = _signed_in(client, email)
    dashboard = trainee.get("/")
    assert dashboard.status_code == 200
    assert f"/certificates/{code}.pdf" in dashboard.get_data(as_text=True)


@pytest.mark.parametrize(("args", "message"), [
    (("--trainees", "-5", "--attempts", "10"), "--trainees must be 1 or more"),
    (("--trainees", "10", "--attempts", "-1"), "--attempts must be 0 or more"),
    (("--trainees", "10", "--attempts", "10", "--cohort-size", "0"), "--cohort-size must be"),
    (("--trainees", "2", "--attempts", "1000"), "is more than 2 trainees can make"),
    (("--trainees", "2", "--attempts", "1", "--course", "nope"), "no course 'nope'"),
])
def test_bad_input_exits_1_with_a_clear_message(runner: Any, loaded: Any, args: tuple,
                                                message: str):
    result = _seed(runner, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert _count(User) == 0


def test_an_empty_database_is_refused(runner: Any, app: Flask):
    result = _seed(runner, "--trainees", "5", "--attempts", "5")
    assert result.exit_code == 1
    assert "no course loaded" in result.output


def test_seeding_twice_is_refused(seeded: Any, runner: Any):
    result = _seed(runner, "--trainees", "5", "--attempts", "5")
    assert result.exit_code == 1
    assert "already holds seeded data" in result.output


def test_production_is_refused(runner: Any, loaded: Any, app: Flask):
    app.config["ENV_NAME"] = "production"
    result = _seed(runner, "--trainees", "5", "--attempts", "5")
    assert result.exit_code == 1
    assert "COURSE_APP_ENV=production" in result.output
    assert _count(User) == 0
