"""The one rule that ends an attempt: grade it, close it, record the grade, then let the
certificates service decide (certificates.service.evaluate). Every path goes through here:

- ``SUBMITTED``: the trainee pressed Submit (answers sent with it are taken while the clock
  allows, domain/attempt_clock.py);
- ``TIME_UP``: a POST noticed that the clock is over (save, Start again, the time-up page's
  button), and closes with what was saved in time;
- ``SWEPT``: the periodic sweep (``flask attempts sweep``) closed it;
- ``REGRADED``: a trainer regraded a closed attempt (after a corrected key);
- ``GRADED_BY_HAND``: a trainer graded its essays.

A GET never closes an attempt: the attempt page shows an expired one as time up, with a button
that POSTs here. Services flush; the request (or the CLI command) commits once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from ..certificates import service as certificates
from ..domain import attempt_clock
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Attempt, Certificate, Course, Quiz, User
from ..models.types import utcnow
from . import answers, attempts, submission

SUBMITTED = "submitted"
TIME_UP = "time_up"
SWEPT = "swept"
REGRADED = "regraded"
GRADED_BY_HAND = "graded_by_hand"
_CLOSING = frozenset({SUBMITTED, TIME_UP, SWEPT})
_REGRADING = frozenset({REGRADED, GRADED_BY_HAND})
REASONS = _CLOSING | _REGRADING


def close_attempt(attempt: Attempt, form: Mapping[str, list[str]] | None, reason: str, *,
                  locked: bool = False, certify: bool = True) -> bool:
    """End (or, for a regrade, grade again) the attempt by the one rule. `form`: the answers
    sent with a submission (ignored once the clock is over). `locked`: the attempt's row was
    read with its lock in this transaction. `certify` False only for callers that pass the
    attempts to `certify` themselves (a whole quiz regraded: one evaluation per trainee).
    Returns False when another request had closed it already (nothing written then)."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason to close an attempt: {reason}")
    if reason in _REGRADING:
        if attempt.status == "in_progress":
            raise ServiceError("not_submitted", "the attempt has not been submitted")
        attempts.grade_attempt(attempt)
    elif not _grade_and_close(attempt, form, locked):
        return False
    if certify:
        certify_after([attempt])
    return True


def _grade_and_close(attempt: Attempt, form: Mapping[str, list[str]] | None,
                     locked: bool) -> bool:
    attempts.lock(attempt, locked)
    if attempt.status != "in_progress":
        return False
    responses: dict[str, Any] = {}
    if form is not None and not attempts.deadline_passed(attempt):
        responses, errors = answers.parse_answers(attempt, form)
        if errors:
            raise ServiceError("bad_answers", "some answers are not valid", errors=errors)
    if not submission.grade_and_close(attempt, responses, utcnow()):
        db.session.refresh(attempt)
        return False
    return True


def certify_after(closed: Iterable[Attempt]) -> list[Certificate]:
    """Evaluate the certificate once per trainee and course of the attempts just graded. An
    attempt still waiting for a trainer changes no grade, so it is skipped."""
    pairs = sorted({(a.user_id, a.quiz_id) for a in closed if a.status == "finished"})
    issued = []
    for user_id, quiz_id in pairs:
        user, course = _user_and_course(user_id, quiz_id)
        if user is not None and course is not None:
            certificate = certificates.evaluate(user, course)
            if certificate is not None:
                issued.append(certificate)
    return issued


def _user_and_course(user_id: int, quiz_id: int) -> tuple[User | None, Course | None]:
    quiz = db.session.get(Quiz, quiz_id)  # found in the session on every request path
    course = db.session.get(Course, quiz.course_id) if quiz is not None else None
    return db.session.get(User, user_id), course


def expired_ids(limit: int | None = None) -> list[int]:
    """Open attempts whose clock is over, oldest deadline first."""
    cutoff = attempt_clock.overdue_since(utcnow(), attempts.grace_seconds())
    query = (sa.select(Attempt.id)
             .where(Attempt.status == "in_progress", Attempt.deadline_at.is_not(None),
                    Attempt.deadline_at < cutoff)
             .order_by(Attempt.deadline_at, Attempt.id))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def sweep(limit: int | None = None) -> int:
    """Close every open attempt whose time is over (the periodic job); returns how many this
    call closed. Each is locked and checked again, so a trainee's own POST racing the sweep
    closes it once."""
    closed = 0
    for attempt_id in expired_ids(limit):
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is not None and close_attempt(attempt, None, SWEPT):
            closed += 1
    return closed
