"""Starting, saving and submitting quiz attempts. Starting and submitting are atomic and
idempotent: a unique index allows one open attempt per trainee and quiz, and a submission is
a conditional UPDATE … WHERE status = 'in_progress', so a repeat or a race grades once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..domain.errors import NotFound, ServiceError
from ..domain.questions import ResponseError, get_type
from ..domain.questions.essay import word_limit_problem
from ..domain.scoring import QuestionResult, score_attempt
from ..domain.shuffle import attempt_seed, draw, shuffled
from ..extensions import db
from ..models import Answer, Attempt, Course, Question, Quiz, User
from ..models.types import utcnow
from . import submission

ANSWER_FIELD_PREFIX = "q-"


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
# writers with BEGIN IMMEDIATE): the lock and reread of _lock would be a second round trip.
_OWNED_WITH_QUIZ_LOCKED = _OWNED_WITH_QUIZ.with_for_update(of=Attempt)


def owned_attempt_with_quiz(user: User, attempt_id: int,
                            for_update: bool = False) -> tuple[Attempt, Quiz, Course]:
    """The user's attempt with its quiz and course, in one query (every attempt page and
    submission starts here); `for_update` locks the attempt's row until the transaction ends,
    for save_answers and submit_attempt with locked=True."""
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


def deadline_passed(attempt: _Timed, now: datetime | None = None) -> bool:
    """True once the time limit plus the grace period is over."""
    if attempt.deadline_at is None:
        return False
    grace = timedelta(seconds=current_app.config["ATTEMPT_GRACE_SECONDS"])
    return (now or utcnow()) > attempt.deadline_at + grace


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start the next one when the quiz allows it."""
    # One start at a time per trainee (a row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE
    # already serialises writers), so parallel clicks never count attempts twice.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    existing = open_attempt(user, quiz)
    if existing is not None and not deadline_passed(existing):
        return existing
    if existing is not None:
        submit_attempt(existing, None)  # time is up: grade what was saved in time
    number = attempts_used(user, quiz) + 1
    if quiz.max_attempts is not None and number > quiz.max_attempts:
        raise ServiceError("no_attempts_left", "no attempts left for this quiz")
    seed = attempt_seed(user.id, quiz.id, number, current_app.config["SECRET_KEY"])
    now = utcnow()
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = Attempt(user_id=user.id, quiz_id=quiz.id, number=number, seed=seed,
                      questions=_snapshot(quiz, seed), started_at=now, deadline_at=deadline)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A parallel request started it first: that one is the attempt.
        winner = open_attempt(user, quiz)
        if winner is None:
            raise ServiceError("no_attempts_left", "no attempts left for this quiz") from None
        return winner
    return attempt


def _answer_fields(form: Mapping[str, list[str]]) -> set[str]:
    return {name for name in form if name.startswith(ANSWER_FIELD_PREFIX)}


def _field_owner(name: str, keys: list[str]) -> str | None:
    for key in sorted(keys, key=len, reverse=True):
        field = ANSWER_FIELD_PREFIX + key
        if name == field or name.startswith(field + "-"):
            return key
    return None


def parse_answers(attempt: Attempt, form: Mapping[str, list[str]], language: str = "vi"
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """Responses by question key, and errors by question key (or by unknown field name);
    `language`: the trainee's, in which typed numbers are read (domain/numbers.py)."""
    keys = [q["key"] for q in attempt.questions]
    errors = {name: "unknown_question" for name in _answer_fields(form)
              if _field_owner(name, keys) is None}
    responses: dict[str, Any] = {}
    for question in attempt.questions:
        kind = get_type(question["type"])
        try:
            response = kind.read(kind.parse_form(question["key"], form), language)
            kind.validate_response(question["type_data"], response)
        except ResponseError as error:
            errors[question["key"]] = error.code
            continue
        responses[question["key"]] = response
    return responses, errors


# What another request may change in an open attempt. Its snapshot (questions) never changes
# while it is open, and rereading that JSON three times was a large part of a submission's time.
_MUTABLE = ["status", "deadline_at", "submitted_at", "score_raw", "score_max", "percent"]


def _lock(attempt: Attempt, locked: bool = False) -> None:
    """Row lock on PostgreSQL (SQLite serialises writers with BEGIN IMMEDIATE), then reread;
    `locked`: the attempt was read with its lock in this transaction (owned_attempt_with_quiz
    with for_update), and is current."""
    if not locked:
        db.session.refresh(attempt, attribute_names=_MUTABLE, with_for_update=True)
    db.session.expire(attempt, ["answers"])


def save_answers(attempt: Attempt, form: Mapping[str, list[str]],
                 locked: bool = False, language: str = "vi") -> dict[str, str]:
    """Save the posted answers of an open attempt; returns errors (nothing saved if any)."""
    _lock(attempt, locked)
    return _store_answers(attempt, form, language)


def _store_answers(attempt: Attempt, form: Mapping[str, list[str]],
                   language: str = "vi") -> dict[str, str]:
    if attempt.status != "in_progress":
        raise ServiceError("attempt_closed", "this attempt has been submitted")
    if deadline_passed(attempt):
        raise ServiceError("time_up", "the time limit is over; answers can no longer be saved")
    responses, errors = parse_answers(attempt, form, language)
    if errors:
        return errors
    _put_answers(attempt, responses, utcnow())
    db.session.flush()
    return {}


def _put_answers(attempt: Attempt, responses: dict[str, Any], now: datetime) -> None:
    saved = {a.question_key: a for a in attempt.answers}
    for key, response in responses.items():
        row = saved.get(key)
        if row is None:
            attempt.answers.append(Answer(question_key=key, response=response, saved_at=now))
        elif row.response != response:
            row.response, row.saved_at = response, now


def submit_attempt(attempt: Attempt, form: Mapping[str, list[str]] | None,
                   locked: bool = False, language: str = "vi") -> bool:
    """Grade the attempt once. Returns False when it had already been submitted."""
    _lock(attempt, locked)
    responses: dict[str, Any] = {}
    if attempt.status == "in_progress" and form is not None and not deadline_passed(attempt):
        responses, errors = parse_answers(attempt, form, language)
        errors.update(_word_limits(attempt, responses))
        if errors:
            raise ServiceError("bad_answers", "some answers are not valid", errors=errors,
                               responses=responses)
    if not submission.grade_and_close(attempt, responses, utcnow()):
        db.session.refresh(attempt)
        return False
    return True


def _word_limits(attempt: Attempt, responses: dict[str, Any]) -> dict[str, str]:
    """An essay outside its min_words..max_words holds back the trainee's submission (a save
    keeps it, with its count shown; time running out submits it as it is)."""
    return {q["key"]: problem for q in attempt.questions if q["type"] == "essay"
            and (problem := word_limit_problem(q["type_data"], responses.get(q["key"])))}


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
