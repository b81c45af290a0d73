"""What the attempt and review pages show, built from the attempt's snapshot. Before
submission nothing that reveals the right answer leaves the server."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from .. import database
from ..domain import attempt_clock
from ..domain.questions import get_type
from ..domain.review_options import Visible
from ..domain.rubrics import rubric_grid
from ..domain.scoring import is_passed
from ..domain.shuffle import sub_seed
from ..models import Answer, Attempt, Quiz
from . import answers


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
    conflict: bool = False  # changed here and elsewhere: `other` is the answer saved elsewhere
    other: Any = None

    @property
    def answered(self) -> bool:
        return self.response not in (None, "", [], {})


@dataclass
class ReviewedQuestion(ShownQuestion):
    fraction: float | None = None
    awarded: float | None = None
    needs_manual: bool = False
    correct: dict[str, Any] | None = None
    explanation: dict[str, str] | None = None
    feedback: list[dict[str, str]] | None = None
    comment: str | None = None
    lesson: str | None = None  # the slug of the lesson the question assesses
    rubric: list[dict[str, Any]] | None = None  # the essay's grid with the levels picked


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


@dataclass
class AttemptPage:
    questions: list[ShownQuestion]
    revision: int
    seen: str  # JSON: per question, the digest of the saved answer the page is built on


def attempt_page(attempt: Attempt, quiz: Quiz, shown: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None,
                 conflicts: dict[str, Any] | None = None) -> AttemptPage:
    """The attempt page's questions with the saved answers, or `shown` over them (a page
    re-shown after a save: what the trainee sent, invalid text included); `conflicts`: the
    answers saved elsewhere that the trainee must choose between."""
    saved = saved_responses(attempt)
    responses = {**saved, **(shown or {})}
    errors, conflicts = errors or {}, conflicts or {}
    questions = [ShownQuestion(index + 1, q["key"], q["type"], q["text"], q["points"],
                               _shown(attempt, quiz, q), responses.get(q["key"]),
                               errors.get(q["key"]), q["key"] in conflicts,
                               conflicts.get(q["key"]))
                 for index, q in enumerate(attempt.questions)]
    digests = answers.page_digests(saved, [q["key"] for q in attempt.questions])
    return AttemptPage(questions, attempt.revision, json.dumps(digests, separators=(",", ":")))


def ordering_items(attempt: Attempt, key: str) -> list[str]:
    """The item keys of ordering question `key` in the order the page shows them."""
    for question in attempt.questions:
        if question["key"] == key and question["type"] == "ordering":
            return [item["key"] for item in get_type("ordering").present(
                question["type_data"], sub_seed(attempt.seed, key), True)["items"]]
    return []


def unanswered(questions: list[ShownQuestion]) -> list[ShownQuestion]:
    return [q for q in questions if not q.answered]


def review_questions(attempt: Attempt, quiz: Quiz,
                     seen: Visible | None = None) -> list[ReviewedQuestion]:
    """The reviewed questions with what `seen` allows (quiz/review.py): the marks per question
    with `correctness`, the right answers with `answers`, explanations and feedback with
    `explanations`; without `seen`, everything the quiz's shorthand shows."""
    if seen is None:
        full = quiz.review == "full"
        seen = Visible(True, full, full, full)
    answers = {a.question_key: a for a in attempt.answers}
    reviewed = []
    for index, q in enumerate(attempt.questions):
        answer = answers.get(q["key"])
        kind = get_type(q["type"])
        reviewed.append(ReviewedQuestion(
            index + 1, q["key"], q["type"], q["text"], q["points"], _shown(attempt, quiz, q),
            answer.response if answer else None,
            fraction=(answer.fraction if answer else 0.0) if seen.correctness else None,
            awarded=(answer.points if answer else 0.0) if seen.correctness else None,
            needs_manual=bool(answer and answer.needs_manual),
            correct=kind.correct_answer(q["type_data"]) if seen.answers else None,
            explanation=q.get("explanation") if seen.explanations else None,
            feedback=(answer.feedback or []) if (seen.explanations and answer) else None,
            comment=answer.grader_comment if answer else None,
            lesson=q.get("lesson"),
            rubric=rubric_grid(q, answer) if seen.score else None,
        ))
    return reviewed


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    return attempt_clock.seconds_left(attempt.deadline_at, now)


def passed(attempt: Attempt, quiz: Quiz) -> bool:
    return attempt.status == "finished" and is_passed(attempt.percent, quiz.pass_score)
