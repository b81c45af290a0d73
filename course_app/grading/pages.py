"""What the grading pages show, built from an attempt's snapshot and the current questions
(a fixed number of queries per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..domain import rubrics
from ..domain.questions import get_type
from ..extensions import db
from ..models import Attempt, Question, Quiz, User
from . import regrading
from . import service as grading


@dataclass
class SheetQuestion:
    number: int
    key: str
    type: str
    text: dict[str, str]
    points: float
    manual: bool
    response: Any
    rubric: dict[str, str] | None
    awarded: float | None
    needs_manual: bool
    comment: str | None
    graded_by: str | None
    graded_at: datetime | None
    version: int
    current_version: int | None
    posted: dict[str, Any] | None = None  # what the trainer typed, shown again with an error
    error: str | None = None
    criteria: list[dict[str, Any]] | None = None  # a rubric grid (domain/rubrics.py)
    levels: dict[str, str] | None = None  # the level picked per criterion, posted or saved
    notes: dict[str, str] | None = None  # the comment per criterion, posted or saved
    note_max: int = rubrics.MAX_CRITERION_COMMENT


def grading_sheet(context: grading.GradingContext, posted: dict[str, dict[str, Any]],
                  errors: dict[str, str]) -> list[SheetQuestion]:
    attempt = context.attempt
    answers = {a.question_key: a for a in attempt.answers}
    current = regrading.current_questions(context.quiz.id)
    graders = _names({a.graded_by_id for a in answers.values() if a.graded_by_id})
    sheet = []
    for index, shown in enumerate(attempt.questions):
        answer = answers.get(shown["key"])
        kind = get_type(shown["type"])
        latest = current.get(shown["question_id"])
        sheet.append(SheetQuestion(
            index + 1, shown["key"], shown["type"], shown["text"], shown["points"], kind.manual,
            answer.response if answer else None,
            shown["type_data"].get("rubric") if kind.manual else None,
            answer.points if answer else None, bool(answer and answer.needs_manual),
            answer.grader_comment if answer else None,
            graders.get(answer.graded_by_id) if answer and answer.graded_by_id else None,
            answer.graded_at if answer else None, shown["version"],
            latest.version if latest else None, posted.get(shown["key"]),
            errors.get(shown["key"])))
        if kind.manual and shown["type_data"].get("criteria"):
            sheet[-1].criteria = shown["type_data"]["criteria"]
            mine = posted.get(shown["key"])
            stored = answer.rubric_scores if answer else None
            sheet[-1].levels = mine["levels"] if mine else rubrics.picks(stored)
            sheet[-1].notes = mine["comments"] if mine else rubrics.comments(stored)
    return sheet


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    # Row by row: a Result has keys(), so dict() would take it for a mapping (a 500 on the page).
    rows = db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


@dataclass
class RegradeRow:
    attempt: Attempt
    trainee: User
    outdated: int  # questions whose key changed since the attempt was taken


@dataclass
class RegradeOverview:
    quiz: Quiz
    rows: list[RegradeRow]
    questions: list[Question]

    @property
    def outdated_attempts(self) -> int:
        return sum(1 for row in self.rows if row.outdated)


def regrade_overview(user: User, quiz: Quiz) -> RegradeOverview:
    attempts = regrading.submitted_attempts(user, quiz)
    current = regrading.current_questions(quiz.id)
    trainees = regrading.trainees_of(attempts)
    rows = [RegradeRow(a, trainees[a.user_id], len(regrading.outdated(a, current)))
            for a in attempts]
    questions = sorted((q for q in current.values() if q.active), key=lambda q: q.position)
    return RegradeOverview(quiz, rows, questions)
