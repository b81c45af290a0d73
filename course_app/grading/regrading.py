"""Regrading: an attempt or a whole quiz graded again, with the key it was taken with or with
the current key; each closes through quiz/closing.py, the one rule, and is audited once."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import xapi
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Attempt, Course, Question, Quiz, User
from ..people import audit
from ..quiz import closing
from .service import GradingContext, _lock, _taught_enrolment, summary


def _current_snapshot(attempt: Attempt, current: dict[int, Question]) -> list[dict[str, Any]]:
    """The attempt's questions, each replaced by the question's current version."""
    snapshot = []
    for shown in attempt.questions:
        row = current.get(shown["question_id"])
        if row is None or row.version == shown["version"]:
            snapshot.append(shown)
            continue
        snapshot.append({**shown, "type": row.type, "version": row.version, "text": row.text,
                         "points": row.points, "explanation": row.explanation,
                         "type_data": row.type_data})
    return snapshot


def outdated(attempt: Attempt, current: dict[int, Question]) -> list[dict[str, Any]]:
    """Questions of the attempt whose key was changed since: key, version shown, current."""
    return [{"question": q["key"], "from": q["version"], "to": current[q["question_id"]].version}
            for q in attempt.questions
            if q["question_id"] in current and current[q["question_id"]].version != q["version"]]


def current_questions(quiz_id: int) -> dict[int, Question]:
    return {q.id: q for q in db.session.scalars(sa.select(Question).where(
        Question.quiz_id == quiz_id))}


def _regrade(attempt: Attempt, current: dict[int, Question] | None,
             certify: bool = True) -> dict[str, Any]:
    before, versions = summary(attempt), []
    if current is not None:
        versions = outdated(attempt, current)
        attempt.questions = _current_snapshot(attempt, current)  # a new list: JSON is saved
    closing.close_attempt(attempt, None, closing.REGRADED, certify=certify)
    after = summary(attempt)
    if attempt.status == "finished" and after["percent"] != before["percent"]:
        xapi.attempt_regraded(attempt.id)  # the LRS learns the new grade
    return {"attempt": attempt.id, "versions": versions, "before": before, "after": after}


def regrade_attempt(context: GradingContext, actor: User, current_key: bool) -> dict[str, Any]:
    """Grade the attempt again, with the key it was taken with or with the current key."""
    _lock(context.attempt)
    if context.attempt.status == "in_progress":
        raise ServiceError("not_submitted", "the attempt has not been submitted")
    current = current_questions(context.quiz.id) if current_key else None
    change = _regrade(context.attempt, current, certify=False)
    audit.record("attempt.regrade", actor.id, f"attempt:{context.attempt.id}",
                 trainee_id=context.trainee.id, quiz_id=context.quiz.id,
                 current_key=current_key, **change)
    closing.certify_after([context.attempt])
    return change


def submitted_attempts(user: User, quiz: Quiz, lock: bool = False) -> list[Attempt]:
    """The quiz's submitted attempts whose trainees the user may see, with their answers."""
    query = (sa.select(Attempt).join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Attempt.quiz_id == quiz.id, Attempt.status != "in_progress")
             .order_by(Attempt.user_id, Attempt.number).options(selectinload(Attempt.answers)))
    if not user.is_admin:
        query = query.where(_taught_enrolment(user).exists())
    if lock:
        query = query.with_for_update(of=Attempt)
    return list(db.session.scalars(query))


def trainees_of(attempts: list[Attempt]) -> dict[int, User]:
    ids = {a.user_id for a in attempts}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} \
        if ids else {}


def regrade_quiz(user: User, quiz: Quiz, course: Course, current_key: bool) -> dict[str, Any]:
    """Regrade every submitted attempt of the quiz that the user may see; one audit event."""
    attempts = submitted_attempts(user, quiz, lock=True)
    current = current_questions(quiz.id) if current_key else None
    changes = [_regrade(attempt, current, certify=False) for attempt in attempts]
    result = {"attempts": len(changes), "changed": sum(
        1 for c in changes if c["before"]["percent"] != c["after"]["percent"]),
        "average_before": _average([c["before"]["percent"] for c in changes]),
        "average_after": _average([c["after"]["percent"] for c in changes])}
    audit.record("quiz.regrade", user.id, f"quiz:{quiz.id}", current_key=current_key,
                 **result, details=changes[:500])
    closing.certify_after(attempts)  # once per trainee, by the one rule
    return result


def _average(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 2) if known else None
