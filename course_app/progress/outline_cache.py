"""The one thing kept between requests: a course's published outline (modules, lesson titles,
quizzes), its course row and its lessons' pages, as plain immutable rows.

Every trainee page shows the outline. The rows are kept per app in a cachetools.LRUCache,
keyed by the content generation (models/generation.py) and what is looked up (course id,
lesson slug), never by sums, counts or times. Every content write moves the generation on in
its own transaction (content_generation.py), so the first request after a commit reads the new
generation in the same query as the trainee's progress and finds nothing kept under it, on every
app server; entries of older generations are never asked for again and age out of the LRU.
A session that has itself written content in its open transaction reads straight from the
database and keeps nothing: what it sees may still be rolled back. The rows are shared between
requests: callers read them and never change them. (docs/performance.md, "Caching".)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from cachetools import LRUCache
from flask import current_app

from .. import database
from ..extensions import db
from ..models import Course, Lesson, Module, Quiz
from .content_generation import GENERATION, changed_in

_EXTENSION = "course_app.outline_cache"
ENTRIES = 512  # course rows, outlines and lesson pages kept per app, least recently used first


@dataclass(frozen=True, slots=True)
class OutlineCourse:
    """What the trainee's course and lesson pages show of a course (the names of models.Course)."""

    id: int
    slug: str
    title: dict[str, Any]
    description: dict[str, Any]
    audience: dict[str, Any]
    estimated_hours: float | None
    completion: dict[str, Any]
    certificate: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutlineLesson:
    id: int
    course_id: int
    module_id: int
    slug: str
    title: dict[str, Any]
    minutes: int


@dataclass(frozen=True, slots=True)
class LessonContent(OutlineLesson):
    """A lesson as its page shows it: the outline's fields with the objectives and the HTML."""

    objectives: dict[str, Any] = field(default_factory=dict)
    html: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutlineModule:
    id: int
    slug: str
    title: dict[str, Any]
    lessons: tuple[OutlineLesson, ...]


@dataclass(frozen=True, slots=True)
class OutlineQuiz:
    id: int
    course_id: int
    module_id: int | None
    slug: str
    title: dict[str, Any]
    required: bool
    pass_score: float
    grading: str
    max_attempts: int | None = None  # with the time limit, what the trainee's deadlines extend
    time_limit_minutes: int | None = None
    review: str = "full"  # the review options (domain/review_options.py): a hidden score
    review_options: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Outline:
    modules: tuple[OutlineModule, ...]
    quizzes: tuple[OutlineQuiz, ...]


@dataclass
class _Store:
    entries: LRUCache[tuple[Any, ...], Any]
    lock: threading.Lock  # cachetools caches are not thread-safe


def _store() -> _Store:
    """The current app's store: each app (and each test's database) starts with its own."""
    found = current_app.extensions.get(_EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(
            _EXTENSION, _Store(LRUCache(maxsize=ENTRIES), threading.Lock()))
    return found  # type: ignore[no-any-return]


_CURRENT = sa.select(GENERATION)


def current_generation() -> int | None:
    return database.rows(_CURRENT, {}).scalar()


def _kept(generation: int | None, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """What `build()` returns, kept under (generation, *key) when that is safe."""
    if generation is None or changed_in(db.session):
        return build()
    store, full_key = _store(), (generation, *key)
    with store.lock:
        found = store.entries.get(full_key)
    if found is None:
        found = build()
        if found is not None:  # nothing kept for what does not exist (made-up lesson slugs)
            with store.lock:
                store.entries[full_key] = found
    return found


_COURSE_ROW = sa.select(Course.id, Course.slug, Course.title, Course.description, Course.audience,
                        Course.estimated_hours, Course.completion, Course.certificate
                        ).where(Course.id == sa.bindparam("course"))
_MODULE_ROWS = (sa.select(Module.id, Module.slug, Module.title)
                .where(Module.course_id == sa.bindparam("course"), Module.archived.is_(False))
                .order_by(Module.position, Module.id))
_LESSON_ROWS = (sa.select(Lesson.id, Lesson.course_id, Lesson.module_id, Lesson.slug, Lesson.title,
                          Lesson.minutes)
                .where(Lesson.course_id == sa.bindparam("course"), Lesson.archived.is_(False))
                .order_by(Lesson.position, Lesson.id))
_QUIZ_ROWS = (sa.select(Quiz.id, Quiz.course_id, Quiz.module_id, Quiz.slug, Quiz.title,
                        Quiz.required, Quiz.pass_score, Quiz.grading, Quiz.max_attempts,
                        Quiz.time_limit_minutes, Quiz.review, Quiz.review_options)
              .where(Quiz.course_id == sa.bindparam("course"), Quiz.archived.is_(False))
              .order_by(Quiz.position, Quiz.id))
_LESSON_PAGE = (sa.select(Lesson.id, Lesson.course_id, Lesson.module_id, Lesson.slug,
                          Lesson.title, Lesson.minutes, Lesson.objectives, Lesson.html)
                .where(Lesson.course_id == sa.bindparam("course"),
                       Lesson.slug == sa.bindparam("slug"), Lesson.archived.is_(False)))


def _load_course(course_id: int) -> OutlineCourse | None:
    row = database.rows(_COURSE_ROW, {"course": course_id}).first()
    if row is None:
        return None
    return OutlineCourse(row.id, row.slug, row.title, row.description or {}, row.audience or {},
                         row.estimated_hours, row.completion or {}, row.certificate or {})


def course(course_id: int, generation: int | None) -> OutlineCourse | None:
    return _kept(generation, ("course", course_id), lambda: _load_course(course_id))  # type: ignore[no-any-return]


def _load_outline(course_id: int) -> Outline:
    params = {"course": course_id}
    lessons = [OutlineLesson(*row) for row in database.rows(_LESSON_ROWS, params)]
    modules = tuple(
        OutlineModule(row.id, row.slug, row.title,
                      tuple(lesson for lesson in lessons if lesson.module_id == row.id))
        for row in database.rows(_MODULE_ROWS, params))
    quizzes = tuple(OutlineQuiz(*row) for row in database.rows(_QUIZ_ROWS, params))
    return Outline(modules, quizzes)


def outline(course_id: int, generation: int | None) -> Outline:
    return _kept(generation, ("outline", course_id), lambda: _load_outline(course_id))  # type: ignore[no-any-return]


def _load_lesson(course_id: int, slug: str) -> LessonContent | None:
    row = database.rows(_LESSON_PAGE, {"course": course_id, "slug": slug}).first()
    if row is None:
        return None
    return LessonContent(row.id, row.course_id, row.module_id, row.slug, row.title, row.minutes,
                         row.objectives or {}, row.html or {})


def lesson(course_id: int, slug: str, generation: int | None) -> LessonContent | None:
    """The lesson's page, or None. Unknown slugs are not kept (a stream of made-up addresses
    must not grow the cache): each costs its query."""
    return _kept(generation, ("lesson", course_id, slug),  # type: ignore[no-any-return]
                 lambda: _load_lesson(course_id, slug))
