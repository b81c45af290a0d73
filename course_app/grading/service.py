"""Manual grading of essays, and regrading after a corrected key. A trainer works only on the
attempts of trainees enrolled in cohorts they teach (admins on all); anything else does not exist
for them. Every grade and regrade is audited with the score before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from .. import xapi
from ..domain.errors import NotFound, ServiceError
from ..domain.questions import get_type
from ..extensions import db
from ..models import Answer, Attempt, Cohort, Course, Enrolment, Quiz, User
from ..models import cohort_trainer as teaching
from ..models.types import utcnow
from ..notify import hooks as notify
from ..people import audit
from ..quiz import closing

MAX_COMMENT = 5000


@dataclass(frozen=True)
class ManualGrade:
    points: float
    comment: str | None
    rubric: dict[str, Any] | None = None  # per criterion: the level, with a comment (rubrics.py)


@dataclass
class GradingContext:
    attempt: Attempt
    quiz: Quiz
    course: Course
    trainee: User


def summary(attempt: Attempt) -> dict[str, Any]:
    return {"status": attempt.status, "percent": attempt.percent,
            "score_raw": attempt.score_raw, "score_max": attempt.score_max}


# --- who may see what -------------------------------------------------------------------------

def _within_reach(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """Cohorts a trainer teaches; an organisation's admin, its cohorts (domain/reach.py)."""
    if user.is_admin:
        return query if user.organisation_id is None else query.where(
            Cohort.organisation_id == user.organisation_id)
    return query.join(teaching, teaching.c.cohort_id == Cohort.id).where(
        teaching.c.user_id == user.id)


def visible_cohorts(user: User) -> list[Cohort]:
    query = sa.select(Cohort).order_by(Cohort.name, Cohort.id)
    query = _within_reach(query, user)
    return list(db.session.scalars(query))


def visible_quizzes(user: User) -> list[Quiz]:
    query = sa.select(Quiz).where(Quiz.archived.is_(False)).order_by(Quiz.course_id,
                                                                      Quiz.position, Quiz.id)
    if not user.is_admin:
        taught = sa.select(Cohort.course_id).join(teaching, teaching.c.cohort_id == Cohort.id) \
            .where(teaching.c.user_id == user.id)
        query = query.where(Quiz.course_id.in_(taught))
    return list(db.session.scalars(query))


def _taught_enrolment(user: User, cohort_id: int | None = None) -> sa.Select[Any]:
    """Enrolments of the attempt's trainee in a cohort of the quiz's course that `user` sees."""
    query = sa.select(Enrolment.id).join(Cohort, Cohort.id == Enrolment.cohort_id).where(
        Enrolment.user_id == Attempt.user_id, Cohort.course_id == Quiz.course_id)
    query = _within_reach(query, user)
    if cohort_id is not None:
        query = query.where(Cohort.id == cohort_id)
    return query


def grading_context(user: User, attempt_id: int) -> GradingContext:
    """A submitted attempt the user may grade; NotFound for any other."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.status == "in_progress":
        raise NotFound("attempt")
    quiz = db.session.get(Quiz, attempt.quiz_id)
    trainee = db.session.get(User, attempt.user_id)
    course = db.session.get(Course, quiz.course_id) if quiz else None
    if quiz is None or trainee is None or course is None:
        raise NotFound("attempt")
    everyone = user.is_admin and user.organisation_id is None  # a site admin
    if not everyone and db.session.scalar(_taught_enrolment(user).where(
            Attempt.id == attempt.id, Quiz.id == quiz.id).limit(1)) is None:
        raise NotFound("attempt")
    return GradingContext(attempt, quiz, course, trainee)


def quiz_for_grader(user: User, quiz_id: int) -> tuple[Quiz, Course]:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.id not in {q.id for q in visible_quizzes(user)}:
        raise NotFound("quiz")
    course = db.session.get(Course, quiz.course_id)
    if course is None:
        raise NotFound("quiz")
    return quiz, course


# --- the queue --------------------------------------------------------------------------------

@dataclass
class QueueRow:
    attempt_id: int
    number: int
    submitted_at: datetime | None
    trainee: str
    unit: str | None
    quiz_title: dict[str, str]
    cohorts: list[str] = field(default_factory=list)
    waiting: int = 0


def queue(user: User, cohort_id: int | None = None, quiz_id: int | None = None) -> list[QueueRow]:
    """Attempts waiting for a trainer, oldest submission first (three queries in all)."""
    query = (sa.select(Attempt.id, Attempt.number, Attempt.submitted_at, Attempt.user_id,
                       User.full_name, User.unit, Quiz.title, Quiz.course_id)
             .join(User, User.id == Attempt.user_id).join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Attempt.status == "needs_grading")
             .order_by(Attempt.submitted_at, Attempt.id))
    if not user.is_admin or cohort_id is not None or user.organisation_id is not None:
        query = query.where(_taught_enrolment(user, cohort_id).exists())
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    rows = db.session.execute(query).all()
    if not rows:
        return []
    waiting = dict(db.session.execute(
        sa.select(Answer.attempt_id, sa.func.count(Answer.id))
        .where(Answer.attempt_id.in_([r.id for r in rows]), Answer.needs_manual.is_(True))
        .group_by(Answer.attempt_id)).all())
    names = _cohort_names(user, {r.user_id for r in rows})
    return [QueueRow(r.id, r.number, r.submitted_at, r.full_name, r.unit, r.title,
                     names.get((r.user_id, r.course_id), []), waiting.get(r.id, 0))
            for r in rows]


def _cohort_names(user: User, user_ids: set[int]) -> dict[tuple[int, int], list[str]]:
    query = (sa.select(Enrolment.user_id, Cohort.course_id, Cohort.name)
             .join(Cohort, Cohort.id == Enrolment.cohort_id)
             .where(Enrolment.user_id.in_(user_ids)).order_by(Cohort.name))
    query = _within_reach(query, user)
    names: dict[tuple[int, int], list[str]] = {}
    for user_id, course_id, name in db.session.execute(query):
        names.setdefault((user_id, course_id), []).append(name)
    return names


# --- grading by hand --------------------------------------------------------------------------

def _lock(attempt: Attempt) -> None:
    db.session.refresh(attempt, with_for_update=True)
    db.session.expire(attempt, ["answers"])


def grade_answers(context: GradingContext, grader: User,
                  grades: dict[str, ManualGrade]) -> dict[str, Any]:
    """Record a trainer's grades for manually graded questions and recompute the score.

    Returns the audited change: the score before and after, and each answer changed."""
    attempt = context.attempt
    _lock(attempt)
    if attempt.status == "in_progress":
        raise ServiceError("not_submitted", "the attempt has not been submitted")
    questions = {q["key"]: q for q in attempt.questions}
    answers = {a.question_key: a for a in attempt.answers}
    before, changed, now = summary(attempt), [], utcnow()
    for key, grade in grades.items():
        question = questions.get(key)
        if question is None or not get_type(question["type"]).manual:
            raise ServiceError("not_manual", f"question {key} is not graded by hand")
        if not 0 <= grade.points <= question["points"] or \
                len(grade.comment or "") > MAX_COMMENT:
            raise ServiceError("bad_grade", f"question {key}: points must be 0 to "
                                            f"{question['points']:g}")
        row = answers.get(key)
        if row is None:
            row = Answer(question_key=key, response=None)
            attempt.answers.append(row)
        if row.graded_at is not None and (row.points, row.grader_comment, row.rubric_scores) \
                == (grade.points, grade.comment, grade.rubric):
            continue
        changed.append({"question": key, "before": {"points": row.points, "rubric": row.
                                                   rubric_scores, "comment": row.grader_comment},
                        "after": {"points": grade.points, "comment": grade.comment,
                                  "rubric": grade.rubric}})
        maximum = question["points"]
        row.fraction = grade.points / maximum if maximum else 0.0
        row.points, row.grader_comment = grade.points, grade.comment
        row.rubric_scores = grade.rubric
        row.graded_by_id, row.graded_at, row.needs_manual = grader.id, now, False
    closing.close_attempt(attempt, None, closing.GRADED_BY_HAND, certify=False)
    change = {"before": before, "after": summary(attempt), "answers": changed}
    if attempt.status == "finished" and before != change["after"]:
        xapi.attempt_graded_by_hand(attempt.id)
    if changed:
        audit.record("attempt.grade", grader.id, f"attempt:{attempt.id}",
                     trainee_id=context.trainee.id, quiz_id=context.quiz.id, **change)
        notify.essay_graded(attempt)  # mailed after the commit
    closing.certify_after([attempt])  # audited after the grade that earned it
    return change
