"""What one organisation's key may read, one page at a time, always ordered by id (a cursor is
the last id seen, so rows changed while a client pages through never shift a page).

Scope: the organisation's cohorts (Cohort.organisation_id) and, through their enrolments, their
trainees, those trainees' attempts at the quizzes of those cohorts' courses, and the
certificates the organisation issued (Certificate.organisation_id). Courses: those it offers
and those its cohorts deliver.

"Changed" (`updated_since`) is the row's `updated_at` (migration 0021) for organisations,
courses, cohorts, attempts (started, answers saved, submitted, graded) and certificates
(issued, revoked, superseded); for a trainee (an enrolment) it is the latest of: the
enrolment, the account's row (name, unit, position), a lesson read, an attempt of the course."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Organisation,
    Quiz,
    User,
    course_offering,
)


def _page(statement: sa.Select[Any], id_column: Any, after: int, limit: int) -> list[Any]:
    return list(db.session.execute(statement.where(id_column > after)
                                   .order_by(id_column).limit(limit + 1)).all())


def organisations(org_id: int, since: datetime | None, after: int, limit: int) -> list[Any]:
    statement = sa.select(Organisation).where(Organisation.id == org_id)
    if since is not None:
        statement = statement.where(Organisation.updated_at >= since)
    return _page(statement, Organisation.id, after, limit)


def _org_courses(org_id: int) -> sa.Select[Any]:
    offered = sa.select(course_offering.c.course_id).where(
        course_offering.c.organisation_id == org_id)
    delivered = sa.select(Cohort.course_id).where(Cohort.organisation_id == org_id)
    return offered.union(delivered)


def courses(org_id: int, since: datetime | None, after: int, limit: int) -> list[Any]:
    statement = sa.select(Course).where(Course.id.in_(_org_courses(org_id)))
    if since is not None:
        statement = statement.where(Course.updated_at >= since)
    return _page(statement, Course.id, after, limit)


def cohorts(org_id: int, since: datetime | None, after: int, limit: int) -> list[Any]:
    statement = sa.select(Cohort, Course.slug).join(Course, Course.id == Cohort.course_id) \
        .where(Cohort.organisation_id == org_id)
    if since is not None:
        statement = statement.where(Cohort.updated_at >= since)
    return _page(statement, Cohort.id, after, limit)


def _lesson_read_since(since: datetime) -> Any:
    return sa.exists().where(LessonProgress.user_id == Enrolment.user_id,
                             LessonProgress.read_at >= since,
                             LessonProgress.lesson_id == Lesson.id,
                             Lesson.course_id == Cohort.course_id)


def _attempt_since(since: datetime) -> Any:
    return sa.exists().where(Attempt.user_id == Enrolment.user_id, Attempt.updated_at >= since,
                             Attempt.quiz_id == Quiz.id, Quiz.course_id == Cohort.course_id)


def trainees(org_id: int, since: datetime | None, after: int, limit: int,
             cohort: str | None = None) -> list[Any]:
    statement = (sa.select(Enrolment, User, Cohort)
                 .join(User, User.id == Enrolment.user_id)
                 .join(Cohort, Cohort.id == Enrolment.cohort_id)
                 .where(Cohort.organisation_id == org_id))
    if cohort is not None:
        statement = statement.where(Cohort.slug == cohort)
    if since is not None:
        statement = statement.where(sa.or_(Enrolment.created_at >= since,
                                           User.updated_at >= since,
                                           _lesson_read_since(since), _attempt_since(since)))
    return _page(statement, Enrolment.id, after, limit)


def _enrolled_in_org(org_id: int, cohort: str | None) -> Any:
    conditions = [Enrolment.user_id == Attempt.user_id, Cohort.id == Enrolment.cohort_id,
                  Cohort.course_id == Quiz.course_id, Cohort.organisation_id == org_id]
    if cohort is not None:
        conditions.append(Cohort.slug == cohort)
    return sa.exists().where(*conditions)


def attempts(org_id: int, since: datetime | None, after: int, limit: int,
             cohort: str | None = None) -> list[Any]:
    statement = (sa.select(Attempt.id, Attempt.user_id, Attempt.quiz_id, Attempt.number,
                           Attempt.status, Attempt.started_at, Attempt.submitted_at,
                           Attempt.score_raw, Attempt.score_max, Attempt.percent,
                           Attempt.updated_at, Quiz.slug, Quiz.course_id, Quiz.pass_score)
                 .join(Quiz, Quiz.id == Attempt.quiz_id)
                 .where(_enrolled_in_org(org_id, cohort)))
    if since is not None:
        statement = statement.where(Attempt.updated_at >= since)
    return _page(statement, Attempt.id, after, limit)


def certificates(org_id: int, since: datetime | None, after: int, limit: int) -> list[Any]:
    statement = sa.select(Certificate).where(Certificate.organisation_id == org_id)
    if since is not None:
        statement = statement.where(Certificate.updated_at >= since)
    return _page(statement, Certificate.id, after, limit)
