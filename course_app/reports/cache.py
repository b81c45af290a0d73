"""The cohort dashboard's trainee rows, kept per process until the data behind them changes.

Assembling 500 trainees' grades and completion costs tens of milliseconds; a trainer refreshes
the dashboard far more often than the cohort's data changes between two looks. The key is read
from the database on every request (one query of aggregates, through indexes): enrolments,
lessons read, every attempt's number, status and grade, certificates and their status; with the
trainees' names, emails and units (read anyway), the course outline and the completion rule.
Any change to those gives a new key, so a cached entry is never served for data that has moved
on."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

from ..app_state import Lru, per_app
from ..extensions import db
from ..models import Attempt, Certificate, Cohort, Enrolment, Lesson, LessonProgress, Quiz

T = TypeVar("T")
ENTRIES = 16  # cohorts kept per process
_EXTENSION = "course_app.reports_cache"


def _count_where(column: Any, value: str) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((column == value, 1), else_=0)), 0)


def data_stamp(cohort: Cohort) -> tuple[Any, ...]:
    """Aggregates that change whenever a row the dashboard shows changes."""
    enrolled = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    attempts = sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(Attempt.number), 0),
        sa.func.coalesce(sa.func.sum(Attempt.percent), 0.0),
        _count_where(Attempt.status, "finished"), _count_where(Attempt.status, "needs_grading"),
    ).where(Attempt.user_id.in_(enrolled))
    reads = sa.select(sa.func.count()).where(LessonProgress.user_id.in_(enrolled))
    certificates = sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.max(Certificate.id), 0),
        _count_where(Certificate.status, "valid"),
    ).where(Certificate.course_id == cohort.course_id, Certificate.user_id.in_(enrolled))
    enrolments = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Enrolment.id), 0)) \
        .where(Enrolment.cohort_id == cohort.id)
    # Four one-row subqueries side by side: one round trip.
    parts = [query.subquery() for query in (attempts, reads, certificates, enrolments)]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, sa.true())
    row = db.session.execute(
        sa.select(*[c for part in parts for c in part.c]).select_from(joined)).one()
    return tuple(float(v) if v is not None else 0.0 for v in row)


def outline_stamp(cohort: Cohort, lessons: list[Lesson], quizzes: list[Quiz]) -> tuple[Any, ...]:
    """What the rows are computed against: the lessons and quizzes and the completion rule."""
    return (cohort.id, cohort.course_id, tuple(lesson.id for lesson in lessons),
            tuple((q.id, q.slug, q.grading, q.pass_score, q.required) for q in quizzes),
            json.dumps(cohort.course.completion, sort_keys=True, default=str))


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    rows: Lru[T] = per_app(_EXTENSION, Lru)
    return rows.get_or_make(key, compute, ENTRIES)
