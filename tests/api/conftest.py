"""Two organisations, each with a cohort of the demo course, trainees, attempts and a
certificate, and an API key each: what the API tests read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from course_app.api import keys
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, Certificate, Cohort, Organisation, Quiz, User
from course_app.people import accounts


@dataclass
class Org:
    organisation: Organisation
    cohort: Cohort
    trainees: list[User]
    attempts: list[int]
    certificate: str
    key: str
    admin: User


def _org(slug: str, trainees: int, make_user: Any) -> Org:
    with writing():
        organisation = Organisation(slug=slug, name={"vi": f"Sở {slug}", "en": f"Dept {slug}"})
        db.session.add(organisation)
        db.session.flush()
        cohort = accounts.create_cohort(f"lop-{slug}", f"Lớp {slug}", "demo")
        cohort.organisation_id = organisation.id
        admin = accounts.create_user(f"admin-{slug}@example.vn", "Quản trị", "admin",
                                     "mật khẩu đủ dài 123")
        admin.organisation_id = organisation.id
        db.session.commit()
    people = [make_user("trainee", email=f"{slug}{n}@example.vn", name=f"Học viên {slug} {n}",
                        cohort=cohort) for n in range(trainees)]
    with writing():
        quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id).limit(1))
        attempts = []
        for number, person in enumerate(people):
            attempt = Attempt(user_id=person.id, quiz_id=quiz.id, number=1, status="finished",
                              seed=number, questions=[], score_raw=8, score_max=10, percent=80,
                              submitted_at=datetime.now(UTC))
            db.session.add(attempt)
            db.session.flush()
            attempts.append(attempt.id)
        certificate = Certificate(code=f"CODE{slug.upper()}", user_id=people[0].id,
                                  course_id=cohort.course_id, holder_name=people[0].full_name,
                                  course_title={"vi": "Demo"}, organisation_id=organisation.id)
        db.session.add(certificate)
        made = keys.create_key(organisation, f"HR {slug}", admin)
        db.session.commit()
    return Org(organisation, cohort, people, attempts, certificate.code, made.secret, admin)


@pytest.fixture
def orgs(app: Flask, loaded: Any, make_user: Any) -> tuple[Org, Org]:
    return _org("a", 3, make_user), _org("b", 2, make_user)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def earlier(minutes: int) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def _jobs_done(app: Flask) -> Iterator[None]:
    """The key's `last_used_at` is written by a background job: let it end with the test."""
    yield
    from course_app import jobs

    jobs.wait_in_process()
