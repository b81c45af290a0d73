"""Reading and saving quiz attempts. Starting one is quiz/starting.py; ending one (submit, time
up, sweep, regrade) is quiz/closing.py, the one rule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from ..domain import attempt_clock
from ..domain.errors import NotFound, ServiceError
from ..domain.questions.essay import word_limit_problem
from ..domain.scoring import QuestionResult, score_attempt
from ..domain.shuffle import attempt_seed, draw, shuffled
from ..extensions import db
from ..models import Answer, Attempt, Course, Question, Quiz, User
from ..models.types import utcnow
from . import answers, submission


def get_quiz(course_id: int, slug: str) -> Quiz:
    quiz = db.session.scalar(sa.select(Quiz).where(
        Quiz.course_id == course_id, Quiz.slug == slug, Quiz.archived.is_(False)))
    if quiz is None:
        raise NotFound("quiz")
    return quiz


_OWNED_WITH_QUIZ = (sa.select(Attempt, Quiz, Course)
                    .join(Quiz, Quiz.id == Attempt.quiz_id)
                    .join(Course, Course.id == Quiz.course_id)
                    .where(Attempt.id == sa.bindparam("attempt"),
                           Attempt.user_id == sa.bindparam("user")))


# Saving and submitting lock the attempt's row as they read it (PostgreSQL; SQLite serialises
# writers with BEGIN IMMEDIATE): the lock and reread of `lock` would be a second round trip.
_OWNED_WITH_QUIZ_LOCKED = _OWNED_WITH_QUIZ.with_for_update(of=Attempt)


def owned_attempt_with_quiz(user: User, attempt_id: int,
                            for_update: bool = False) -> tuple[Attempt, Quiz, Course]:
    """The user's attempt with its quiz and course, in one query (every attempt page and
    submission starts here); `for_update` locks the attempt's row until the transaction ends,
    for save_answers and closing.close_attempt with locked=True."""
    statement = _OWNED_WITH_QUIZ_LOCKED if for_update else _OWNED_WITH_QUIZ
    row = db.session.execute(statement, {"attempt": attempt_id, "user": user.id}).first()
    if row is None:
        raise NotFound("attempt")  # another trainee's attempt does not exist for you
    return row[0], row[1], row[2]


def open_attempt(user: User, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(sa.select(Attempt).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.status == "in_progress"))


def attempts_used(user: User, quiz: Quiz) -> int:
    return db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)) or 0


def _snapshot(quiz: Quiz, seed: int) -> list[dict[str, Any]]:
    questions = list(db.session.scalars(sa.select(Question).where(
        Question.quiz_id == quiz.id, Question.active.is_(True)).order_by(Question.position)))
    by_key = {q.key: q for q in questions}
    keys = draw([q.key for q in questions], quiz.draw, seed)
    if quiz.shuffle_questions:
        keys = shuffled(keys, seed)
    return [{"question_id": by_key[k].id, "key": k, "type": by_key[k].type,
             "version": by_key[k].version, "text": by_key[k].text, "points": by_key[k].points,
             "explanation": by_key[k].explanation, "type_data": by_key[k].type_data}
            for k in keys]


class _Timed(Protocol):
    deadline_at: datetime | None


def grace_seconds() -> float:
    """The grace period after a deadline (ATTEMPT_GRACE_SECONDS) for the page's last request."""
    return float(current_app.config["ATTEMPT_GRACE_SECONDS"])


def deadline_passed(attempt: _Timed, now: datetime | None = None) -> bool:
    """True once the time limit plus the grace period is over (domain/attempt_clock.py)."""
    return attempt_clock.is_over(attempt.deadline_at, now or utcnow(), grace_seconds())


def new_attempt(user: User, quiz: Quiz, number: int, deadline_at: datetime | None,
                now: datetime) -> Attempt:
    """The next attempt's row (not added): its questions drawn and its clock started at `now`;
    `deadline_at` as the trainee's dates set it (domain/deadlines.attempt_deadline: the time
    limit with any extra minutes, capped at the quiz's close)."""
    seed = attempt_seed(user.id, quiz.id, number, current_app.config["SECRET_KEY"])
    return Attempt(user_id=user.id, quiz_id=quiz.id, number=number, seed=seed,
                   questions=_snapshot(quiz, seed), started_at=now, deadline_at=deadline_at)


# What another request may change in an open attempt. Its snapshot (questions) never changes
# while it is open, and rereading that JSON three times was a large part of a submission's time.
_MUTABLE = ["status", "deadline_at", "submitted_at", "score_raw", "score_max", "percent"]


def lock(attempt: Attempt, locked: bool = False) -> None:
    """Row lock on PostgreSQL (SQLite serialises writers with BEGIN IMMEDIATE), then reread;
    `locked`: the attempt was read with its lock in this transaction (owned_attempt_with_quiz
    with for_update), and is current."""
    if not locked:
        db.session.refresh(attempt, attribute_names=_MUTABLE, with_for_update=True)
    db.session.expire(attempt, ["answers"])


def save_answers(attempt: Attempt, form: Mapping[str, list[str]],
                 locked: bool = False, language: str = "vi") -> answers.Saved:
    """Save the posted answers of an open attempt: every valid one (answers.store), numbers
    read in the trainee's `language`."""
    lock(attempt, locked)
    if attempt.status != "in_progress":
        raise ServiceError("attempt_closed", "this attempt has been submitted")
    if deadline_passed(attempt):
        raise ServiceError("time_up", "the time limit is over; answers can no longer be saved")
    return answers.store(attempt, form, language)


def _word_limits(attempt: Attempt, responses: dict[str, Any]) -> dict[str, str]:
    """An essay outside its min_words..max_words holds back the trainee's submission (a save
    keeps it, with its count shown; time running out submits it as it is)."""
    return {q["key"]: problem for q in attempt.questions if q["type"] == "essay"
            and (problem := word_limit_problem(q["type_data"], responses.get(q["key"])))}


def word_limit_problems(attempt: Attempt) -> dict[str, str]:
    """Saved essays outside their min_words..max_words: they hold back a submission (a save
    keeps them, with their count shown; time running out submits them as they are)."""
    saved = {a.question_key: a.response for a in attempt.answers}
    return {q["key"]: problem for q in attempt.questions if q["type"] == "essay"
            and (problem := word_limit_problem(q["type_data"], saved.get(q["key"])))}


def grade_attempt(attempt: Attempt) -> None:
    """(Re)compute every answer's grade and the attempt's score from the snapshot."""
    saved = {a.question_key: a for a in attempt.answers}
    results = []
    for question in attempt.questions:
        row = saved.get(question["key"])
        if row is None:
            row = Answer(question_key=question["key"], response=None)
            attempt.answers.append(row)
        results.append(submission.grade_row(question, row))
    _set_score(attempt, results)
    db.session.flush()


def _set_score(attempt: Attempt, results: list[QuestionResult]) -> None:
    score = score_attempt(results)
    attempt.score_raw, attempt.score_max, attempt.percent = score.raw, score.max, score.percent
    attempt.status = score.status


def history(user: User, quiz: Quiz) -> list[Attempt]:
    return list(db.session.scalars(sa.select(Attempt).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz.id).order_by(Attempt.number)))
