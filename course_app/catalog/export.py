"""The database's published courses as specs, ready to be written as a course package
(content/export.py). Only what trainees see is exported: drafts, new and archived items stay in
the database. Each course takes a fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa

from ..content.specs import CourseSpec, LessonSpec, MediaSpec, ModuleSpec, QuestionSpec, QuizSpec
from ..extensions import db
from ..models import Course, Lesson, Media, Module, Question, Quiz


def course_specs(slugs: list[str] | None = None) -> list[CourseSpec]:
    query = sa.select(Course).where(Course.archived.is_(False)).order_by(Course.slug)
    if slugs is not None:
        query = query.where(Course.slug.in_(slugs))
    return [course_spec(course) for course in db.session.scalars(query)]


def course_spec(course: Course) -> CourseSpec:
    spec = CourseSpec(slug=course.slug, title=dict(course.title),
                      description=dict(course.description or {}),
                      audience=dict(course.audience or {}),
                      estimated_hours=course.estimated_hours,
                      completion=dict(course.completion or {}),
                      certificate=dict(course.certificate or {}))
    modules = list(db.session.scalars(sa.select(Module).where(
        Module.course_id == course.id, Module.archived.is_(False)).order_by(Module.position)))
    lessons = list(db.session.scalars(sa.select(Lesson).where(
        Lesson.course_id == course.id, Lesson.archived.is_(False))
        .order_by(Lesson.position, Lesson.slug)))
    for module in modules:
        spec.modules.append(ModuleSpec(
            module.slug, module.position, dict(module.title), dict(module.summary or {}),
            [_lesson(lesson) for lesson in lessons if lesson.module_id == module.id]))
    spec.media = [MediaSpec(m.name, m.content_type, m.data) for m in db.session.scalars(
        sa.select(Media).where(Media.course_id == course.id).order_by(Media.name))]
    # Every module's slug: a quiz in an archived module must fail the check, not move silently.
    slugs = dict(db.session.execute(sa.select(Module.id, Module.slug).where(
        Module.course_id == course.id)).all())
    spec.quizzes = _quizzes(course, slugs)
    return spec


def _lesson(lesson: Lesson) -> LessonSpec:
    return LessonSpec(lesson.slug, lesson.position, dict(lesson.title),
                      {lang: list(items) for lang, items in (lesson.objectives or {}).items()},
                      dict(lesson.body), lesson.minutes)


def _quizzes(course: Course, module_slugs: dict[int, str]) -> list[QuizSpec]:
    quizzes = list(db.session.scalars(sa.select(Quiz).where(
        Quiz.course_id == course.id, Quiz.archived.is_(False)).order_by(Quiz.slug)))
    questions = list(db.session.scalars(sa.select(Question).join(Quiz).where(
        Quiz.course_id == course.id, Question.active.is_(True))
        .order_by(Question.position, Question.id)))
    specs = []
    for position, quiz in enumerate(quizzes):  # the package orders quizzes by file name
        spec = QuizSpec(
            quiz.slug, position, dict(quiz.title), dict(quiz.description or {}),
            module_slugs.get(quiz.module_id) if quiz.module_id else None, quiz.required,
            quiz.pass_score, quiz.time_limit_minutes, quiz.max_attempts, quiz.grading,
            quiz.shuffle_questions, quiz.shuffle_choices, quiz.draw, quiz.review,
            review_options=quiz.review_options)
        mine = [q for q in questions if q.quiz_id == quiz.id]
        spec.questions = [QuestionSpec(q.key, q.type, index, dict(q.text), q.points,
                                       dict(q.explanation or {}), q.type_data, q.lesson)
                          for index, q in enumerate(mine)]
        specs.append(spec)
    return specs
