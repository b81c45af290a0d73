"""Rows for the cohort tests, straight into the database: organisations and their offerings,
a second course, cohorts taught by a trainer, attempts waiting for grading, certificates."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    Organisation,
    Quiz,
    User,
    course_offering,
)
from course_app.models.types import utcnow


def organisation(slug: str, vi: str, en: str, offers: list[str] | None = None) -> Organisation:
    with writing():
        made = Organisation(slug=slug, name={"vi": vi, "en": en})
        db.session.add(made)
        db.session.flush()
        for course_slug in offers or []:
            course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == course_slug))
            db.session.execute(sa.insert(course_offering).values(organisation_id=made.id,
                                                                 course_id=course_id))
        db.session.commit()
    return made


def other_course(slug: str = "khac") -> Course:
    with writing():
        made = Course(slug=slug, title={"vi": "Khóa khác", "en": "Another course"})
        db.session.add(made)
        db.session.commit()
    return made


def cohort(slug: str, trainer: User | None, course: str = "demo", **values: object) -> Cohort:
    with writing():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == course))
        made = Cohort(slug=slug, name=f"Lớp {slug}", course_id=course_id, **values)
        if trainer is not None:
            made.trainers.append(db.session.get(User, trainer.id))
        db.session.add(made)
        db.session.commit()
    return made


def waiting_attempt(user: User, quiz_slug: str = "module-1", number: int = 1) -> Attempt:
    with writing():
        quiz_id = db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == quiz_slug))
        made = Attempt(user_id=user.id, quiz_id=quiz_id, number=number, status="needs_grading",
                       seed=1, questions=[], submitted_at=utcnow())
        db.session.add(made)
        db.session.commit()
    return made


def certificate(user: User, course: str = "demo", issued_at: datetime | None = None,
                status: str = "valid") -> Certificate:
    with writing():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == course))
        made = Certificate(code=secrets.token_hex(16), user_id=user.id, course_id=course_id,
                           status=status, issued_at=issued_at or utcnow(),
                           holder_name=user.full_name, course_title={"vi": "Demo"})
        db.session.add(made)
        db.session.commit()
    return made
