"""Holding attempts to their dates: what the quiz package's write paths (start, save, submit,
autosave, the signed-out resume) ask before they write. The rule is domain/deadlines.py; the
attempt's deadline, capped at the close, is what the one attempt clock and the one close rule
(quiz/closing.py) then go by, so an attempt in progress at the close ends with what was saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..domain import attempt_clock, deadlines
from ..domain.deadlines import Rules
from ..extensions import db
from ..models import Attempt, Enrolment, Quiz
from ..models.types import utcnow
from . import dates


def _grace() -> float:
    return float(current_app.config["ATTEMPT_GRACE_SECONDS"])


def rules(user_id: int, quiz: Quiz, now: datetime | None = None) -> Rules:
    """What holds for this trainee and quiz now (one query)."""
    return dates.rules_for(user_id, quiz, now)


def _settle(attempt: Attempt, found: Rules, now: datetime) -> None:
    """Move the deadline of an attempt still running to what the rules say now (capped at a
    close, or extended by an override); an attempt whose clock is over stays over."""
    if attempt.status != "in_progress" or \
            attempt_clock.is_over(attempt.deadline_at, now, _grace()):
        return
    wanted = deadlines.attempt_deadline(attempt.started_at, found)
    if wanted != attempt.deadline_at:
        attempt.deadline_at = wanted


@dataclass(frozen=True)
class Held:
    refusal: str | None  # deadlines.NOT_OPEN_YET: nothing may be written now
    rules: Rules

    def closed_at_close(self, attempt: Attempt) -> bool:
        return self.rules.closes_at is not None and attempt.deadline_at == self.rules.closes_at


def hold(attempt: Attempt, quiz: Quiz, now: datetime | None = None) -> Held:
    """Before a write to an attempt in progress (its row locked): settle its deadline, then
    say why nothing may be written now (deadlines.NOT_OPEN_YET). A close that has passed is
    not refused here: the attempt's deadline is then past, and the caller closes it by the one
    rule (quiz/closing.py) with what was saved."""
    now = now or utcnow()
    found = rules(attempt.user_id, quiz, now)
    _settle(attempt, found, now)
    refusal = deadlines.save_refusal(found, attempt.deadline_at, now, _grace())
    return Held(refusal if refusal == deadlines.NOT_OPEN_YET else None, found)


def refresh_open_attempts(user_ids: Iterable[int], course_id: int,
                          quiz_id: int | None = None) -> int:
    """After a window or an override changed: the open attempts of these trainees (of one quiz,
    or of every quiz of the course) take their new deadline. Returns how many moved."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    query = (sa.select(Attempt, Quiz).join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Attempt.status == "in_progress", Attempt.user_id.in_(ids),
                    Quiz.course_id == course_id))
    if quiz_id is not None:
        query = query.where(Quiz.id == quiz_id)
    now, moved = utcnow(), 0
    found = db.session.execute(query.with_for_update(of=Attempt)).all()
    by_user: dict[int, dates.TraineeDates] = {}
    for attempt, quiz in found:
        if attempt.user_id not in by_user:
            by_user[attempt.user_id] = dates.trainee_dates(attempt.user_id, [course_id])
        before = attempt.deadline_at
        _settle(attempt, by_user[attempt.user_id].rules(quiz, now), now)
        moved += attempt.deadline_at != before
    db.session.flush()
    return moved


def refresh_cohort(cohort_id: int, course_id: int) -> int:
    """After a cohort's dates changed: its trainees' attempts in progress take their new
    deadline (the cohort's edit page and command call this)."""
    ids = db.session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort_id))
    return refresh_open_attempts(list(ids), course_id)
