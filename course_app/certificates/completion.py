"""The completion rule as the certificates see it: a trainee's full completion status (final exam
and study hours included) and the one-query test that rules out most evaluations. The decision
to issue is certificates.service.evaluate (domain/certification.py)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from ..domain import attempt_clock, certification
from ..domain.completion import CompletionStatus, QuizStatus
from ..domain.completion import evaluate as evaluate_rule
from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Course,
    Lesson,
    LessonProgress,
    Module,
    Question,
    Quiz,
    User,
)
from ..progress.service import CourseProgress, course_progress, course_rule


def study_hours(user: User, progress: CourseProgress) -> float:
    """Reading time of the lessons read plus time spent in submitted quiz attempts."""
    minutes = sum(lesson.minutes for m in progress.modules for lesson, done in m.lessons if done)
    rows = db.session.execute(
        sa.select(Attempt.started_at, Attempt.submitted_at, Quiz.time_limit_minutes)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user.id, Quiz.course_id == progress.course.id,
               Attempt.submitted_at.is_not(None)))
    for started, submitted, limit in rows:
        minutes += attempt_clock.minutes_spent(started, submitted, limit)
    return round(minutes / 60, 2)


_ESSAY_QUIZZES = (sa.select(Quiz.id).join(Question, Question.quiz_id == Quiz.id)
                  .where(Quiz.course_id == sa.bindparam("course"), Quiz.required.is_(True),
                         Question.active.is_(True), Question.type == "essay").distinct())


def capstone_ids(course: Course) -> set[int]:
    """The course's capstones: required quizzes holding essays (the quiz rule allows that only
    for an assignment graded by rubric grids, domain/quiz_rules.py)."""
    return set(db.session.scalars(_ESSAY_QUIZZES, {"course": course.id}))


def completion_status(user: User, course: Course,
                      progress: CourseProgress | None = None) -> CompletionStatus:
    """The full completion rule of course.yaml (final exam and minimum hours included)."""
    progress = progress or course_progress(user, course)
    rule = course_rule(course)
    if rule is None:
        current_app.logger.warning("course %s has an invalid completion rule", course.slug)
        return CompletionStatus(0, 0, 0, 0, None, False, 0)
    lessons = [(lesson.id, done) for m in progress.modules for lesson, done in m.lessons]
    capstones = capstone_ids(course)
    quizzes = [QuizStatus(q.quiz.id, q.quiz.required, q.quiz.pass_score, q.grade, q.quiz.slug,
                          q.quiz.id in capstones) for q in progress.all_quizzes]
    hours = study_hours(user, progress) if rule.min_hours is not None else None
    return evaluate_rule(rule, [i for i, _ in lessons], [i for i, done in lessons if done],
                         quizzes, hours)


# Built once: composing it took as long as running it.
_LESSONS_TOTAL = (sa.select(sa.func.count(Lesson.id)).join(Module, Module.id == Lesson.module_id)
                  .where(Lesson.course_id == sa.bindparam("course"), Lesson.archived.is_(False),
                         Module.archived.is_(False)).scalar_subquery())
_LESSONS_READ = (sa.select(sa.func.count(LessonProgress.lesson_id))
                 .join(Lesson, Lesson.id == LessonProgress.lesson_id)
                 .join(Module, Module.id == Lesson.module_id)
                 .where(LessonProgress.user_id == sa.bindparam("user"),
                        Lesson.course_id == sa.bindparam("course"), Lesson.archived.is_(False),
                        Module.archived.is_(False)).scalar_subquery())
_ISSUED = sa.exists().where(Certificate.user_id == sa.bindparam("user"),
                            Certificate.course_id == sa.bindparam("course"))
_MAY_BE_COMPLETE = sa.select(_LESSONS_TOTAL, _LESSONS_READ, _ISSUED)


def may_be_complete(user: User, course: Course) -> bool:
    """One query that rules out most calls: every rule needs every lesson read, and a
    certificate is issued once. Runs on each lesson read and each quiz submitted, so it must
    stay cheaper than the full evaluation."""
    row = db.session.execute(_MAY_BE_COMPLETE, {"user": user.id, "course": course.id}).one()
    return certification.may_be_complete(row[0], row[1], bool(row[2]))
