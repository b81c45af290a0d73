"""A trainee's overrides in a cohort (as Moodle's user overrides): a later close, more attempts,
more time, for one quiz or every quiz of the course. They only extend: a close earlier than the
one it extends, or fewer attempts or minutes than the trainee already uses, is refused with
the field and the reason, and nothing is written. Every change is audited and moves the
deadline of the trainee's attempts in progress (schedule/holding.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..domain import deadlines
from ..domain.deadlines import Extension
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Attempt, Cohort, Enrolment, Override, Quiz, User
from ..models.types import utcnow
from ..people import audit
from . import holding
from .windows import base_close, course_quizzes, windows_of


@dataclass(frozen=True)
class OverrideRow:
    override: Override
    trainee: User
    quiz: Quiz | None  # None: every quiz of the course


def overrides_of(cohort: Cohort) -> list[OverrideRow]:
    """The cohort's overrides with their trainee and quiz, in one query."""
    rows = db.session.execute(
        sa.select(Override, User, Quiz).join(User, User.id == Override.user_id)
        .outerjoin(Quiz, Quiz.id == Override.quiz_id)
        .where(Override.cohort_id == cohort.id).order_by(User.full_name, User.id, Override.id))
    return [OverrideRow(o, u, q) for o, u, q in rows]


def trainees_of(cohort: Cohort) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort.id).order_by(User.full_name, User.id)))


def override_of(cohort: Cohort, override_id: int) -> Override:
    found = db.session.scalar(sa.select(Override).where(Override.id == override_id,
                                                        Override.cohort_id == cohort.id))
    if found is None:
        raise NotFound("override")
    return found


def _attempts(user_id: int, quizzes: list[Quiz]) -> list[tuple[int, str, datetime]]:
    ids = [q.id for q in quizzes]
    if not ids:
        return []
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        sa.select(Attempt.quiz_id, Attempt.status, Attempt.started_at)
        .where(Attempt.user_id == user_id, Attempt.quiz_id.in_(ids)))]


def problems(cohort: Cohort, user_id: int, quiz: Quiz | None, wanted: Extension,
             now: datetime | None = None) -> dict[str, str]:
    """Error codes by form field; empty when the override may be saved."""
    if wanted.empty:
        return {"closes_at": "empty"}
    now = now or utcnow()
    covered = [quiz] if quiz is not None else course_quizzes(cohort)
    found: dict[str, str] = {}
    windows = windows_of(cohort)
    closes = [base_close(cohort, windows.get(q.id)) for q in covered] or \
        [base_close(cohort, None)]
    known = [c for c in closes if c is not None]
    code = deadlines.close_problem(max(known) if known else None, wanted.closes_at)
    if code:
        found["closes_at"] = code
    taken = _attempts(user_id, covered)
    used = [(q.max_attempts, sum(1 for a in taken if a[0] == q.id)) for q in covered]
    if wanted.extra_attempts < deadlines.attempts_needed(used):
        found["extra_attempts"] = "below_used"
    running = [(q.time_limit_minutes, (now - started).total_seconds() / 60)
               for q in covered for quiz_id, status, started in taken
               if quiz_id == q.id and status == "in_progress" and q.time_limit_minutes]
    if any(limit + wanted.extra_minutes < spent for limit, spent in running):
        found["extra_minutes"] = "below_used"
    return found


def _check(cohort: Cohort, user_id: int, quiz: Quiz | None, wanted: Extension) -> None:
    errors = problems(cohort, user_id, quiz, wanted)
    if errors:
        raise ServiceError("invalid_override", "the override does not extend", errors=errors)


def _details(row: Override) -> dict[str, object]:
    return {"user_id": row.user_id, "quiz_id": row.quiz_id,
            "closes_at": row.closes_at.isoformat() if row.closes_at else None,
            "extra_attempts": row.extra_attempts, "extra_minutes": row.extra_minutes}


def add_override(cohort: Cohort, trainee_id: int, quiz: Quiz | None, wanted: Extension,
                 actor: User) -> Override:
    """A new override for a trainee of the cohort; ServiceError with `errors` by field."""
    if db.session.scalar(sa.select(Enrolment.id).where(Enrolment.cohort_id == cohort.id,
                                                       Enrolment.user_id == trainee_id)) is None:
        raise ServiceError("invalid_override", "not a trainee of the cohort",
                           errors={"user_id": "not_in_cohort"})
    if quiz is not None and quiz.course_id != cohort.course_id:
        raise ServiceError("invalid_override", "not a quiz of the course",
                           errors={"quiz_id": "not_in_course"})
    same = sa.select(Override.id).where(Override.cohort_id == cohort.id,
                                        Override.user_id == trainee_id,
                                        Override.quiz_id.is_(None) if quiz is None
                                        else Override.quiz_id == quiz.id)
    if db.session.scalar(same) is not None:
        raise ServiceError("invalid_override", "the trainee has this override already",
                           errors={"quiz_id": "exists"})
    _check(cohort, trainee_id, quiz, wanted)
    row = Override(cohort_id=cohort.id, user_id=trainee_id, quiz_id=quiz.id if quiz else None,
                   closes_at=wanted.closes_at, extra_attempts=wanted.extra_attempts,
                   extra_minutes=wanted.extra_minutes, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("override.create", actor.id, f"cohort:{cohort.id}", **_details(row))
    holding.refresh_open_attempts([trainee_id], cohort.course_id, row.quiz_id)
    return row


def change_override(cohort: Cohort, row: Override, wanted: Extension, actor: User) -> None:
    quiz = db.session.get(Quiz, row.quiz_id) if row.quiz_id is not None else None
    _check(cohort, row.user_id, quiz, wanted)
    before = _details(row)
    row.closes_at, row.extra_attempts, row.extra_minutes = (
        wanted.closes_at, wanted.extra_attempts, wanted.extra_minutes)
    db.session.flush()
    audit.record("override.update", actor.id, f"cohort:{cohort.id}", before=before,
                 **_details(row))
    holding.refresh_open_attempts([row.user_id], cohort.course_id, row.quiz_id)


def delete_override(cohort: Cohort, row: Override, actor: User) -> None:
    """Gone: the trainee is back on the cohort's dates (attempts taken stay)."""
    details = _details(row)
    db.session.delete(row)
    db.session.flush()
    audit.record("override.delete", actor.id, f"cohort:{cohort.id}", **details)
    holding.refresh_open_attempts([details["user_id"]], cohort.course_id,  # type: ignore[list-item]
                                  row.quiz_id)
