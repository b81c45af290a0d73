"""What the attempt and review pages show, built from the attempt's snapshot. Before
submission nothing that reveals the right answer leaves the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from .. import database
from ..domain import attempt_clock
from ..domain.questions import get_type
from ..domain.scoring import is_passed
from ..domain.shuffle import sub_seed
from ..models import Answer, Attempt, Quiz


@dataclass
class ShownQuestion:
    number: int
    key: str
    type: str
    text: dict[str, str]
    points: float
    shown: dict[str, Any]  # choices, items or options, without correctness
    response: Any
    error: str | None = None


@dataclass
class ReviewedQuestion(ShownQuestion):
    fraction: float | None = None
    awarded: float | None = None
    needs_manual: bool = False
    correct: dict[str, Any] | None = None
    explanation: dict[str, str] | None = None
    feedback: list[dict[str, str]] | None = None
    comment: str | None = None


def _shown(attempt: Attempt, quiz: Quiz,
           question: dict[str, Any]) -> dict[str, Any]:
    seed = sub_seed(attempt.seed, question["key"])
    return get_type(question["type"]).present(question["type_data"], seed, quiz.shuffle_choices)


_RESPONSES = (sa.select(Answer.question_key, Answer.response)
              .where(Answer.attempt_id == sa.bindparam("attempt")))


def saved_responses(attempt: Attempt) -> dict[str, Any]:
    """Responses by question key: plain rows when the answers are not loaded yet (an attempt
    page only reads them; loading them as objects was a tenth of the page)."""
    if not isinstance(attempt, Attempt) or "answers" in sa.inspect(attempt).unloaded:
        return {row[0]: row[1] for row in database.rows(_RESPONSES, {"attempt": attempt.id})}
    return {a.question_key: a.response for a in attempt.answers}


def attempt_questions(attempt: Attempt, quiz: Quiz,
                      posted: dict[str, Any] | None = None,
                      errors: dict[str, str] | None = None) -> list[ShownQuestion]:
    saved = saved_responses(attempt)
    if posted:
        saved.update(posted)
    errors = errors or {}
    return [ShownQuestion(index + 1, q["key"], q["type"], q["text"], q["points"],
                          _shown(attempt, quiz, q), saved.get(q["key"]), errors.get(q["key"]))
            for index, q in enumerate(attempt.questions)]


def review_questions(attempt: Attempt, quiz: Quiz) -> list[ReviewedQuestion]:
    full = quiz.review == "full"
    answers = {a.question_key: a for a in attempt.answers}
    reviewed = []
    for index, q in enumerate(attempt.questions):
        answer = answers.get(q["key"])
        kind = get_type(q["type"])
        reviewed.append(ReviewedQuestion(
            index + 1, q["key"], q["type"], q["text"], q["points"], _shown(attempt, quiz, q),
            answer.response if answer else None,
            fraction=answer.fraction if answer else 0.0,
            awarded=answer.points if answer else 0.0,
            needs_manual=bool(answer and answer.needs_manual),
            correct=kind.correct_answer(q["type_data"]) if full else None,
            explanation=q.get("explanation") if full else None,
            feedback=(answer.feedback or []) if (full and answer) else None,
            comment=answer.grader_comment if answer else None,
        ))
    return reviewed


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    return attempt_clock.seconds_left(attempt.deadline_at, now)


def passed(attempt: Attempt, quiz: Quiz) -> bool:
    return attempt.status == "finished" and is_passed(attempt.percent, quiz.pass_score)
