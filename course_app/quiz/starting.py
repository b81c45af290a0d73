"""Starting (or resuming) an attempt. Atomic and idempotent: a unique index allows one open
attempt per trainee and quiz, and the trainee's row is locked while the attempt is chosen. An
open attempt whose clock is over is first closed by the one rule (quiz/closing.py), so its
grade and any certificate follow, exactly as if it had been submitted. The trainee's dates
(domain/deadlines.py, read by schedule/holding.py) decide whether a new attempt may start, how
many attempts and minutes they have, and cap the attempt's deadline at the quiz's close."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import xapi
from ..domain import deadlines
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Attempt, Quiz, User
from ..models.types import utcnow
from ..schedule import holding
from . import attempts, closing

_NO_ATTEMPTS = "no attempts left for this quiz"


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start the next one when the quiz allows it."""
    # One start at a time per trainee (a row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE
    # already serialises writers), so parallel clicks never count attempts twice.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    existing = attempts.open_attempt(user, quiz)
    now = utcnow()
    if existing is not None:
        held = holding.hold(existing, quiz, now)
        if held.refusal is not None:
            raise ServiceError(held.refusal, "the quiz is not open yet", rules=held.rules)
        if not attempts.deadline_passed(existing, now):
            return existing
        # time is up (or the quiz closed): graded with what was saved in time
        closing.close_attempt(existing, None, closing.TIME_UP)
    rules = holding.rules(user.id, quiz, now)
    used = attempts.attempts_used(user, quiz)
    refusal = "archived" if quiz.archived else deadlines.start_refusal(rules, now, used)
    if refusal is not None:
        raise ServiceError(refusal, _NO_ATTEMPTS if refusal == deadlines.NO_ATTEMPTS_LEFT
                           else f"the quiz may not be started now ({refusal})", rules=rules)
    attempt = attempts.new_attempt(user, quiz, used + 1,
                                   deadlines.attempt_deadline(now, rules), now)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A parallel request started it first: that one is the attempt.
        winner = attempts.open_attempt(user, quiz)
        if winner is None:
            raise ServiceError(deadlines.NO_ATTEMPTS_LEFT, _NO_ATTEMPTS, rules=rules) from None
        return winner
    xapi.attempt_started(attempt.id)
    return attempt
