"""Grading an attempt at submission, with as few statements as the database allows: the saved
answers read as rows, every answer graded in memory, then one conditional UPDATE that closes the
attempt with its score (… WHERE status = 'in_progress': of two submissions one wins), one
multi-row INSERT for the answers first sent with it and one multi-row UPDATE for the others.

At 500 submissions at once these run one after another on SQLite (one writer at a time), so
each saved statement shortens the burst: loading the answers as ORM objects and flushing them
back row by row was a third of a submission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from .. import database, xapi
from ..domain.questions import get_type
from ..domain.scoring import QuestionResult, score_attempt
from ..extensions import db
from ..models import Answer, Attempt


@dataclass
class GradedAnswer:
    """An answer as grading sees it: a saved row (with its id) or one sent with the submission."""

    question_key: str
    response: Any
    id: int | None = None
    saved_at: datetime | None = None
    fraction: float | None = None
    points: float | None = None
    needs_manual: bool = False
    feedback: list[Any] | None = None
    graded_at: datetime | None = None


def grade_row(question: dict[str, Any], row: Any) -> QuestionResult:
    """Grade one answer (an Answer or a GradedAnswer) against its question's snapshot."""
    kind = get_type(question["type"])
    grade = kind.grade(question["type_data"], row.response)
    # A trainer's grade (graded_at set) stands through every automatic regrade; a comment
    # alone is not a grade, and a grade needs no comment.
    manual_done = kind.manual and row.graded_at is not None and row.fraction is not None
    fraction = row.fraction if manual_done else grade.fraction
    row.fraction = fraction
    row.needs_manual = grade.needs_manual and not manual_done
    row.points = round(fraction * question["points"], 4)
    row.feedback = list(grade.feedback)
    return QuestionResult(question["points"], fraction, row.needs_manual)


ANSWER = Answer.__table__
_SAVED = (sa.select(ANSWER.c.id, ANSWER.c.question_key, ANSWER.c.response, ANSWER.c.saved_at,
                    ANSWER.c.fraction, ANSWER.c.graded_at)
          .where(ANSWER.c.attempt_id == sa.bindparam("attempt")))
_GRADES = {"fraction": "g_fraction", "points": "g_points", "needs_manual": "g_needs_manual",
           "feedback": "g_feedback", "response": "g_response", "saved_at": "g_saved_at"}
_REGRADE = (ANSWER.update().where(ANSWER.c.id == sa.bindparam("g_id"))
            .values({column: sa.bindparam(name, type_=ANSWER.c[column].type)
                     for column, name in _GRADES.items()}))


def _saved(attempt_id: int) -> dict[str, GradedAnswer]:
    return {row.question_key: GradedAnswer(row.question_key, row.response, row.id, row.saved_at,
                                           row.fraction, graded_at=row.graded_at)
            for row in database.rows(_SAVED, {"attempt": attempt_id})}


def _write(attempt_id: int, answers: Iterable[GradedAnswer]) -> None:
    new, saved = [], []
    for answer in answers:
        values = {name: getattr(answer, column) for column, name in _GRADES.items()}
        if answer.id is None:
            new.append({"attempt_id": attempt_id, "question_key": answer.question_key,
                        **{column: values[name] for column, name in _GRADES.items()}})
        else:
            saved.append({"g_id": answer.id, **values})
    connection = db.session.connection()
    if new:
        connection.execute(ANSWER.insert(), new)
    if saved:
        connection.execute(_REGRADE, saved)


def grade_and_close(attempt: Attempt, responses: dict[str, Any], now: datetime) -> bool:
    """Grade the open attempt with `responses` (the answers sent with the submission) on top of
    its saved answers, and close it. False when another request closed it first (nothing is
    written then)."""
    answers = _saved(attempt.id)
    results = []
    for question in attempt.questions:
        key = question["key"]
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = GradedAnswer(key, responses.get(key), saved_at=now)
        elif key in responses and answer.response != responses[key]:
            answer.response, answer.saved_at = responses[key], now
        results.append(grade_row(question, answer))
    score = score_attempt(results)
    closed = {"status": score.status,
              "submitted_at": now, "score_raw": score.raw, "score_max": score.max,
              "percent": score.percent}
    claimed = db.session.execute(
        sa.update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "in_progress")
        .values(**closed).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    _write(attempt.id, answers.values())
    for name, value in closed.items():  # the row holds what the UPDATE wrote
        set_committed_value(attempt, name, value)
    db.session.expire(attempt, ["answers"])  # read back with their ids when next needed
    xapi.attempt_submitted(attempt.id)
    return True
