"""The scores export's rubric columns: for each essay graded by a rubric grid in the cohort's
quizzes, two columns per criterion: the points of the level the grader picked and the grader's
comment on that criterion (the trainee's latest graded answer). Two queries; no columns when no
quiz has a grid."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import rubrics
from ..extensions import db
from ..i18n import tr
from ..models import Answer, Attempt, Question
from .service import CohortReport


def rubric_columns(report: CohortReport
                   ) -> tuple[list[str], dict[int, list[float | str | None]]]:
    """(the headers, the values per trainee's user id) of the rubric criteria columns."""
    quiz_ids = [q.id for q in report.quizzes]
    titles = {q.id: q.title for q in report.quizzes}
    questions = [q for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id.in_(quiz_ids), Question.type == "essay",
                                  Question.active.is_(True))
        .order_by(Question.quiz_id, Question.position)) if q.type_data.get("criteria")] \
        if quiz_ids else []
    if not questions:
        return [], {}
    columns: list[tuple[Question, dict[str, Any]]] = [
        (q, c) for q in questions for c in q.type_data["criteria"]]
    headers = [header for q, c in columns for header in (
        _("%(quiz)s · %(question)s · %(criterion)s (points)",
          quiz=tr(titles[q.quiz_id]), question=q.key, criterion=tr(c["title"])),
        _("%(quiz)s · %(question)s · %(criterion)s (comment)",
          quiz=tr(titles[q.quiz_id]), question=q.key, criterion=tr(c["title"])))]
    users = [t.user.id for t in report.trainees]
    latest: dict[tuple[int, int, str], dict[str, Any]] = {}
    rows = db.session.execute(
        sa.select(Attempt.user_id, Attempt.quiz_id, Answer.question_key, Answer.rubric_scores)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.quiz_id.in_({q.quiz_id for q in questions}),
               Attempt.user_id.in_(users), Answer.rubric_scores.is_not(None))
        .order_by(Answer.graded_at, Answer.id)) if users else []
    for user_id, quiz_id, key, picked in rows:
        latest[(user_id, quiz_id, key)] = picked or {}
    values: dict[int, list[float | str | None]] = {}
    for user_id in users:
        values[user_id] = [cell for q, c in columns
                           for cell in _cells(c, latest.get((user_id, q.quiz_id, q.key)))]
    return headers, values


def _cells(criterion: dict[str, Any], stored: dict[str, Any] | None
           ) -> tuple[float | None, str | None]:
    """(the points of the level picked, the grader's comment) on one criterion."""
    key = criterion["key"]
    return _points(criterion, rubrics.picks(stored).get(key)), rubrics.comments(stored).get(key)


def _points(criterion: dict[str, Any], level_key: str | None) -> float | None:
    level = next((lv for lv in criterion["levels"] if lv["key"] == level_key), None)
    return None if level is None else level["points"]
