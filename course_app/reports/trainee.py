"""One trainee as their trainer sees them: a timeline of lessons read and attempts, each
attempt's answers and scores, and the certificate. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..domain.questions.numeric import response_text
from ..domain.questions.true_false import CHOICES as TRUE_FALSE_CHOICES
from ..extensions import db
from ..models import Attempt, Certificate, Cohort, Lesson, LessonProgress, Quiz, User
from ..progress.service import CourseProgress, course_progress


@dataclass(frozen=True)
class Pair:
    left: Any
    right: Any


@dataclass(frozen=True)
class AnswerLine:
    number: int
    key: str
    type: str
    text: dict[str, str]
    response: list[Any]          # translatable texts, plain strings or Pairs
    points: float | None
    max_points: float
    needs_manual: bool
    comment: str | None


@dataclass(frozen=True)
class AttemptDetail:
    attempt: Attempt
    quiz: Quiz
    answers: list[AnswerLine]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str                    # lesson | attempt_started | attempt_submitted
    lesson: Lesson | None = None
    attempt: AttemptDetail | None = None


@dataclass(frozen=True)
class TraineeReport:
    user: User
    progress: CourseProgress
    timeline: list[TimelineEntry]
    attempts: list[AttemptDetail]
    certificates: list[Certificate]


def _choice_texts(question: dict[str, Any]) -> dict[str, Any]:
    if question["type"] == "true_false":
        return {c["key"]: c["text"] for c in TRUE_FALSE_CHOICES}
    data = question.get("type_data") or {}
    texts = {c["key"]: c["text"] for c in data.get("choices", [])}
    texts.update({i["key"]: i.get("text") for i in data.get("items", [])})
    texts.update({o["key"]: o.get("text") for o in data.get("options", [])})
    return texts


def describe_response(question: dict[str, Any], response: Any) -> list[Any]:
    """The response as the trainee saw it: choice texts rather than keys."""
    if response is None or response == [] or response == {}:
        return []
    if question["type"] == "numeric":
        return [response_text(response)]
    texts = _choice_texts(question)
    if isinstance(response, list):
        return [texts.get(str(key), str(key)) for key in response]
    if isinstance(response, dict):  # matching: item → option; ordering: item → position
        return [Pair(texts.get(str(k), str(k)), texts.get(str(v), str(v)))
                for k, v in response.items()]
    if question["type"] in ("single", "true_false"):
        return [texts.get(str(response), str(response))]
    return [str(response)]


def _detail(attempt: Attempt, quiz: Quiz) -> AttemptDetail:
    answers = {a.question_key: a for a in attempt.answers}
    lines = []
    for index, question in enumerate(attempt.questions, start=1):
        answer = answers.get(question["key"])
        lines.append(AnswerLine(
            index, question["key"], question["type"], question["text"],
            describe_response(question, answer.response if answer else None),
            answer.points if answer else None, question["points"],
            bool(answer and answer.needs_manual), answer.grader_comment if answer else None))
    return AttemptDetail(attempt, quiz, lines)


def trainee_report(cohort: Cohort, user: User) -> TraineeReport:
    course = cohort.course
    quizzes = {q.id: q for q in db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course.id))}
    attempts = list(db.session.scalars(
        sa.select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id.in_(list(quizzes)))
        .options(selectinload(Attempt.answers))
        .order_by(Attempt.started_at))) if quizzes else []
    details = [_detail(a, quizzes[a.quiz_id]) for a in attempts]
    reads = db.session.execute(
        sa.select(LessonProgress.read_at, Lesson)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user.id, Lesson.course_id == course.id)).all()
    timeline = [TimelineEntry(r.read_at, "lesson", lesson=r.Lesson) for r in reads]
    for detail in details:
        timeline.append(TimelineEntry(detail.attempt.started_at, "attempt_started",
                                      attempt=detail))
        if detail.attempt.submitted_at:
            timeline.append(TimelineEntry(detail.attempt.submitted_at, "attempt_submitted",
                                          attempt=detail))
    timeline.sort(key=lambda e: e.at, reverse=True)
    certificates = list(db.session.scalars(sa.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.issued_at.desc())))
    return TraineeReport(user, course_progress(user, course), timeline, details, certificates)
