"""The essays of a cohort's trainees that wait for a trainer, oldest submission first: what the
cohort dashboard shows above its charts. One query whatever the cohort's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Attempt, Cohort, Enrolment, Quiz, User

SHOWN = 20  # the rest are one click away, in the grading queue


@dataclass(frozen=True)
class WaitingEssay:
    attempt_id: int
    number: int
    submitted_at: datetime | None
    trainee: str
    quiz_title: dict[str, Any]


@dataclass(frozen=True)
class Waiting:
    shown: list[WaitingEssay]
    total: int


def essays_waiting(cohort: Cohort, shown: int = SHOWN) -> Waiting:
    """Attempts of the cohort's trainees in its course whose essays wait for grading."""
    total = sa.func.count().over().label("total")
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.number, Attempt.submitted_at, User.full_name, Quiz.title,
                  total)
        .join(User, User.id == Attempt.user_id).join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.status == "needs_grading", Quiz.course_id == cohort.course_id,
               Attempt.user_id.in_(sa.select(Enrolment.user_id)
                                   .where(Enrolment.cohort_id == cohort.id)))
        .order_by(Attempt.submitted_at, Attempt.id).limit(shown)).all()
    return Waiting([WaitingEssay(r.id, r.number, r.submitted_at, r.full_name, r.title)
                    for r in rows], rows[0].total if rows else 0)
