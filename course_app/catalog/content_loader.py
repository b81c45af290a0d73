"""Loading a course package into the database by slug and key. Loading the same files twice
changes nothing; content missing from the files is archived, never deleted, so trainees'
progress and attempts survive; content the files never held (made in the authoring pages or by
`quiz import`) is left as it is. A row the files change gets a new lock version (a trainer's form
opened before the load is then refused as stale) and, for lessons and questions, a revision in
its history. Trainers' unpublished drafts are kept."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..content.markdown import render
from ..content.specs import CourseSpec, LessonSpec, ModuleSpec, QuestionSpec, QuizSpec
from ..extensions import db
from ..models import ContentRevision, Course, Lesson, Media, Module, Question, Quiz
from ..models.types import utcnow
from . import history as authoring_history
from . import snapshots as authoring_content


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    archived: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


HISTORY_KINDS = ("lesson", "question")


def _upsert(report: LoadReport, kind: str, row: Any | None, factory: Any,
            values: dict[str, Any]) -> Any:
    if row is None:
        row = factory(**values)
        if hasattr(factory, "published_at"):
            row.published_at = utcnow()
        db.session.add(row)
        report.count(report.created, kind)
        _remember(kind, row, created=True)
    elif _assign(row, values):
        if hasattr(row, "lock_version"):
            row.lock_version = (row.lock_version or 1) + 1
            row.published_at = row.published_at or utcnow()
        report.count(report.updated, kind)
        _remember(kind, row, created=False)
    return row


def _remember(kind: str, row: Any, created: bool) -> None:
    """A revision of what the files made of a lesson or question (author: nobody)."""
    if kind not in HISTORY_KINDS:
        return
    db.session.flush()
    course_id = row.course_id if kind == "lesson" else \
        db.session.scalar(sa.select(Quiz.course_id).where(Quiz.id == row.quiz_id))
    authoring_history.record(course_id, kind, row.id, "load",
                             authoring_content.snapshot(kind, row), None, first=created)


def load_courses(specs: list[CourseSpec]) -> LoadReport:
    report = LoadReport()
    for spec in specs:
        load_course(spec, report)
    db.session.flush()
    return report


def load_course(spec: CourseSpec, report: LoadReport) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec.slug))
    values = {"slug": spec.slug, "title": spec.title, "description": spec.description,
              "audience": spec.audience, "estimated_hours": spec.estimated_hours,
              "completion": spec.completion, "certificate": spec.certificate, "archived": False}
    course = _upsert(report, "course", course, Course, values)
    db.session.flush()
    _load_media(course, spec, report)
    modules = {m.slug: m for m in db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id))}
    lessons = {lesson.slug: lesson for lesson in db.session.scalars(
        sa.select(Lesson).where(Lesson.course_id == course.id))}
    for module_spec in spec.modules:
        module = _load_module(course, module_spec, modules.get(module_spec.slug), report)
        for lesson_spec in module_spec.lessons:
            _load_lesson(course, module, lesson_spec, lessons.get(lesson_spec.slug), report)
    _archive(report, "module", modules.values(), {m.slug for m in spec.modules})
    _archive(report, "lesson", lessons.values(),
             {ls.slug for m in spec.modules for ls in m.lessons})
    modules = {m.slug: m for m in db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id))}
    quizzes = {q.slug: q for q in db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course.id))}
    for quiz_spec in spec.quizzes:
        _load_quiz(course, modules, quiz_spec, quizzes.get(quiz_spec.slug), report)
    _archive(report, "quiz", quizzes.values(), {q.slug for q in spec.quizzes})
    if report.changed:
        course.updated_at = utcnow()
    return course


MADE_ELSEWHERE = ("create", "import")  # first revisions of the authoring pages and imports


def made_elsewhere(kind: str, ids: list[int]) -> set[int]:
    """The rows that the authoring pages or an import made (their first revision says so) and
    no load ever wrote. A load never archives those."""
    if not ids:
        return set()
    rows = db.session.execute(
        sa.select(ContentRevision.object_id, ContentRevision.number, ContentRevision.action)
        .where(ContentRevision.kind == kind, ContentRevision.object_id.in_(ids))).all()
    first = {object_id for object_id, number, action in rows
             if number == 1 and action in MADE_ELSEWHERE}
    return first - {object_id for object_id, _, action in rows if action == "load"}


def _archive(report: LoadReport, kind: str, rows: Any, keep: set[str]) -> None:
    gone = [row for row in rows if row.slug not in keep and not row.archived]
    spared = made_elsewhere(kind, [row.id for row in gone])
    for row in gone:
        if row.id not in spared:
            row.archived = True
            report.count(report.archived, kind)


def _load_media(course: Course, spec: CourseSpec, report: LoadReport) -> None:
    existing = {m.name: m for m in db.session.scalars(
        sa.select(Media).where(Media.course_id == course.id))}
    for media in spec.media:
        digest = hashlib.sha256(media.data).hexdigest()
        values = {"course_id": course.id, "name": media.name, "content_type": media.content_type,
                  "sha256": digest, "data": media.data}
        row = existing.get(media.name)
        if row is not None and row.sha256 == digest and row.content_type == media.content_type:
            continue
        _upsert(report, "media", row, Media, values)


def _load_module(course: Course, spec: ModuleSpec, row: Module | None,
                 report: LoadReport) -> Module:
    values = {"course_id": course.id, "slug": spec.slug, "position": spec.position,
              "title": spec.title, "summary": spec.summary, "archived": False}
    module = _upsert(report, "module", row, Module, values)
    db.session.flush()
    return module


def _load_lesson(course: Course, module: Module, spec: LessonSpec, row: Lesson | None,
                 report: LoadReport) -> None:
    media_base = f"/courses/{course.slug}/media"
    html = {lang: render(source, media_base) for lang, source in spec.body.items()}
    values = {"course_id": course.id, "module_id": module.id, "slug": spec.slug,
              "position": spec.position, "title": spec.title, "objectives": spec.objectives,
              "body": spec.body, "html": html, "minutes": spec.minutes, "archived": False}
    _upsert(report, "lesson", row, Lesson, values)


def _load_quiz(course: Course, modules: dict[str, Module], spec: QuizSpec, row: Quiz | None,
               report: LoadReport) -> None:
    module = modules.get(spec.module) if spec.module else None
    values = {"course_id": course.id, "module_id": module.id if module else None,
              "slug": spec.slug, "position": spec.position, "title": spec.title,
              "description": spec.description, "required": spec.required,
              "pass_score": spec.pass_score, "time_limit_minutes": spec.time_limit_minutes,
              "max_attempts": spec.max_attempts, "grading": spec.grading,
              "shuffle_questions": spec.shuffle_questions, "shuffle_choices": spec.shuffle_choices,
              "draw": spec.draw, "review": spec.review,
              "review_options": spec.review_options, "archived": False}
    quiz = _upsert(report, "quiz", row, Quiz, values)
    db.session.flush()
    existing = {q.key: q for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id))}
    for question_spec in spec.questions:
        _load_question(quiz, question_spec, existing.get(question_spec.key), report)
    keys = {q.key for q in spec.questions}
    gone = [q for q in existing.values() if q.key not in keys and q.active]
    spared = made_elsewhere("question", [q.id for q in gone])
    for question in gone:
        if question.id not in spared:
            question.active = False
            report.count(report.archived, "question")


def question_hash(spec: QuestionSpec) -> str:
    content = {"type": spec.type, "text": spec.text, "points": spec.points,
               "explanation": spec.explanation, "type_data": spec.type_data}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _load_question(quiz: Quiz, spec: QuestionSpec, row: Question | None,
                   report: LoadReport) -> None:
    digest = question_hash(spec)
    values = {"quiz_id": quiz.id, "key": spec.key, "position": spec.position, "type": spec.type,
              "text": spec.text, "points": spec.points, "explanation": spec.explanation,
              "type_data": spec.type_data, "content_hash": digest, "active": True,
              "lesson": spec.lesson}
    if row is not None and row.content_hash != digest:
        values["version"] = row.version + 1  # attempts keep the snapshot of the old version
    _upsert(report, "question", row, Question, values)
