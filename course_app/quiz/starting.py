"""Starting (or resuming) an attempt. Atomic and idempotent: a unique index allows one open
attempt per trainee and quiz, and the trainee's row is locked while the attempt is chosen. An
open attempt whose clock is over is first closed by the one rule (quiz/closing.py), so its
grade and any certificate follow, exactly as if it had been submitted."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import xapi
from ..domain import quiz_rules
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Attempt, Quiz, User
from . import attempts, closing


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start the next one when the quiz allows it."""
    # One start at a time per trainee (a row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE
    # already serialises writers), so parallel clicks never count attempts twice.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    existing = attempts.open_attempt(user, quiz)
    if existing is not None and not attempts.deadline_passed(existing):
        return existing
    if existing is not None:  # time is up: graded with what was saved in time
        closing.close_attempt(existing, None, closing.TIME_UP)
    used = attempts.attempts_used(user, quiz)
    if not quiz_rules.is_open(quiz.archived, quiz.max_attempts, used):
        raise ServiceError("no_attempts_left", "no attempts left for this quiz")
    attempt = attempts.new_attempt(user, quiz, used + 1)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A parallel request started it first: that one is the attempt.
        winner = attempts.open_attempt(user, quiz)
        if winner is None:
            raise ServiceError("no_attempts_left", "no attempts left for this quiz") from None
        return winner
    xapi.attempt_started(attempt.id)
    return attempt
