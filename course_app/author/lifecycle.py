"""Archiving and deleting authored items. Nothing trainees have worked on is ever deleted:
an item with progress, attempts, cohorts or certificates can only be archived (hidden)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..catalog import history
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    Lesson,
    LessonProgress,
    Question,
    Quiz,
)
from .service import renumber_questions, renumber_quizzes


class Refused(ServiceError):
    """Why an item cannot be deleted (or archived); `params` hold the counts for the message."""


def _count(query: Any) -> int:
    return int(db.session.scalar(query) or 0)


def _progress(lesson_ids: Any) -> int:
    return _count(sa.select(sa.func.count()).select_from(LessonProgress)
                  .where(LessonProgress.lesson_id.in_(lesson_ids)))


def _attempts(quiz_ids: Any) -> int:
    return _count(sa.select(sa.func.count(Attempt.id)).where(Attempt.quiz_id.in_(quiz_ids)))


def deletion_blocker(kind: str, row: Any) -> Refused | None:
    """The reason the item cannot be deleted, or None."""
    if kind == "question":
        used = 0 if history.is_new(kind, row) else _attempts([row.quiz_id])
        return Refused("has_attempts", f"the quiz has {used} attempt(s)", count=used) \
            if used else None
    if kind == "lesson":
        lessons, quizzes = [row.id], []
    elif kind == "quiz":
        lessons, quizzes = [], [row.id]
    elif kind == "module":
        lessons = sa.select(Lesson.id).where(Lesson.module_id == row.id)
        quizzes = sa.select(Quiz.id).where(Quiz.module_id == row.id)
    else:
        return _course_blocker(row)
    read, tried = _progress(lessons), _attempts(quizzes)
    if read:
        return Refused("has_progress", f"{read} trainee(s) have read it", count=read)
    if tried:
        return Refused("has_attempts", f"it has {tried} attempt(s)", count=tried)
    return None


def _course_blocker(course: Course) -> Refused | None:
    cohorts = _count(sa.select(sa.func.count(Cohort.id)).where(Cohort.course_id == course.id))
    if cohorts:
        return Refused("has_cohorts", f"{cohorts} cohort(s) study it", count=cohorts)
    issued = _count(sa.select(sa.func.count(Certificate.id))
                    .where(Certificate.course_id == course.id))
    if issued:
        return Refused("has_certificates", f"{issued} certificate(s) were issued",
                       count=issued)
    read = _progress(sa.select(Lesson.id).where(Lesson.course_id == course.id))
    tried = _attempts(sa.select(Quiz.id).where(Quiz.course_id == course.id))
    if read or tried:
        return Refused("has_progress", "trainees have worked on it", count=read + tried)
    return None


def delete(kind: str, row: Any) -> None:
    """Delete an item nobody has worked on, with its drafts and history."""
    blocker = deletion_blocker(kind, row)
    if blocker is not None:
        raise blocker
    if kind == "module":
        lessons = list(db.session.scalars(sa.select(Lesson.id).where(Lesson.module_id == row.id)))
        quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.module_id == row.id)))
        history.forget("lesson", lessons)
        for quiz in quizzes:
            _forget_quiz(quiz)
            db.session.delete(quiz)
    if kind == "quiz":
        _forget_quiz(row)
    history.forget(kind, [row.id])
    course_id = row.id if kind == "course" else None
    db.session.delete(row)
    db.session.flush()
    if kind == "quiz":
        renumber_quizzes(db.session.get(Course, row.course_id))
    if kind == "question":
        renumber_questions(row.quiz_id)
    if course_id is not None:
        db.session.expunge_all()


def _forget_quiz(quiz: Quiz) -> None:
    history.forget("question", list(db.session.scalars(
        sa.select(Question.id).where(Question.quiz_id == quiz.id))))


def set_archived(kind: str, row: Any, archived: bool) -> None:
    """Hide a published item from trainees, or show it again. New items are deleted instead."""
    if history.is_new(kind, row):
        raise Refused("never_published", "it was never published: delete it instead")
    if kind == "question":
        row.active = not archived
    else:
        row.archived = archived
    if kind == "quiz":
        renumber_quizzes(db.session.get(Course, row.course_id))
    if kind == "question":
        renumber_questions(row.quiz_id)
    db.session.flush()
