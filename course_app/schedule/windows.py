"""A quiz's window in one cohort: when it opens and closes for the cohort's trainees. A window
narrows the cohort's dates (domain/deadlines.py), so it must lie within them; a trainee who
needs longer gets an override (schedule/overrides.py). Audited; the deadlines of attempts in
progress move with it (schedule/holding.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain import deadlines
from ..domain.deadlines import Dates
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Cohort, Enrolment, Quiz, QuizWindow, User
from ..people import audit
from . import holding
from .dates import zone


def course_quizzes(cohort: Cohort) -> list[Quiz]:
    return list(db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == cohort.course_id, Quiz.archived.is_(False))
        .order_by(Quiz.position, Quiz.id)))


def quiz_of(cohort: Cohort, quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.course_id != cohort.course_id or quiz.archived:
        raise NotFound("quiz")
    return quiz


def windows_of(cohort: Cohort) -> dict[int, QuizWindow]:
    return {w.quiz_id: w for w in db.session.scalars(
        sa.select(QuizWindow).where(QuizWindow.cohort_id == cohort.id))}


def cohort_times(cohort: Cohort) -> tuple[datetime | None, datetime | None]:
    """The cohort's opening and close as times (00:00 of its first day, 24:00 of its last)."""
    here = zone()
    return (deadlines.cohort_opens(cohort.starts_on, here),
            deadlines.cohort_closes(cohort.ends_on, here))


def base_close(cohort: Cohort, window: QuizWindow | None) -> datetime | None:
    """A quiz's close in the cohort before any override."""
    dates = Dates(cohort.starts_on, cohort.ends_on, window.opens_at if window else None,
                  window.closes_at if window else None)
    return deadlines.base_window(dates, zone())[1]


def problems(cohort: Cohort, opens_at: datetime | None, closes_at: datetime | None
             ) -> dict[str, str]:
    """Error codes by form field; empty when the window may be saved."""
    if opens_at is None and closes_at is None:
        return {"opens_at": "empty"}
    starts, ends = cohort_times(cohort)
    found = {}
    if opens_at is not None and starts is not None and opens_at < starts:
        found["opens_at"] = "before_cohort"
    if opens_at is not None and ends is not None and opens_at >= ends:
        found["opens_at"] = "after_cohort"
    if closes_at is not None and ends is not None and closes_at > ends:
        found["closes_at"] = "after_cohort"
    if closes_at is not None and opens_at is not None and closes_at <= opens_at:
        found["closes_at"] = "before_opening"
    return found


def _trainee_ids(cohort: Cohort) -> list[int]:
    return list(db.session.scalars(sa.select(Enrolment.user_id)
                                   .where(Enrolment.cohort_id == cohort.id)))


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def set_window(cohort: Cohort, quiz: Quiz, opens_at: datetime | None,
               closes_at: datetime | None, actor: User) -> QuizWindow:
    errors = problems(cohort, opens_at, closes_at)
    if errors:
        raise ServiceError("invalid_window", "the window does not fit", errors=errors)
    row = db.session.get(QuizWindow, (cohort.id, quiz.id))
    before = (_stamp(row.opens_at), _stamp(row.closes_at)) if row else None
    if row is None:
        row = QuizWindow(cohort_id=cohort.id, quiz_id=quiz.id)
        db.session.add(row)
    row.opens_at, row.closes_at = opens_at, closes_at
    db.session.flush()
    audit.record("quiz_window.set", actor.id, f"cohort:{cohort.id}", quiz_id=quiz.id,
                 opens_at=_stamp(opens_at), closes_at=_stamp(closes_at),
                 before=list(before) if before else None)
    holding.refresh_open_attempts(_trainee_ids(cohort), cohort.course_id, quiz.id)
    return row


def clear_window(cohort: Cohort, quiz: Quiz, actor: User) -> bool:
    row = db.session.get(QuizWindow, (cohort.id, quiz.id))
    if row is None:
        return False
    audit.record("quiz_window.clear", actor.id, f"cohort:{cohort.id}", quiz_id=quiz.id,
                 opens_at=_stamp(row.opens_at), closes_at=_stamp(row.closes_at))
    db.session.delete(row)
    db.session.flush()
    holding.refresh_open_attempts(_trainee_ids(cohort), cohort.course_id, quiz.id)
    return True
