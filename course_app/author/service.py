"""Authoring use cases on the structure of a course: finding items, optimistic locking,
creating, reordering, archiving and deleting. Content edits go through drafts
(authoring_history) and reach trainees when published (authoring_publish)."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from ..catalog import history
from ..catalog.snapshots import MODELS, apply
from ..domain import slugs
from ..domain.errors import NotFound, ServiceError
from ..domain.questions import form_field_clashes
from ..extensions import db
from ..models import (
    ContentDraft,
    Course,
    Lesson,
    Module,
    Question,
    Quiz,
)

SLUG = slugs.SLUG
QUESTION_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
# /author/courses/new is a page: a course with that slug could not be opened.
RESERVED_COURSE_SLUGS = frozenset({"new"})
DEFAULT_COMPLETION = {"lessons": "all", "quizzes": "required", "min_average": None}


def courses() -> list[Course]:
    return list(db.session.scalars(sa.select(Course).order_by(Course.slug)))


def get_course(slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound("course")
    return course


def get_item(course: Course, kind: str, object_id: int) -> Any:
    """An item of the course by kind and id; NotFound for other courses' items."""
    if kind not in MODELS:
        raise NotFound(kind)
    row = db.session.get(MODELS[kind], object_id)
    owner = None if row is None else row.id if kind == "course" else \
        db.session.get(Quiz, row.quiz_id).course_id if kind == "question" else row.course_id
    if row is None or owner != course.id:
        raise NotFound(kind)
    return row


class Stale(ServiceError):
    """The form was opened before someone else's save: refuse instead of overwriting."""

    def __init__(self, kind: str) -> None:
        super().__init__("stale", f"this {kind} was changed by someone else since the form was "
                                  "opened; nothing was saved")


def claim(kind: str, row: Any, expected: int | None) -> None:
    """Take the next lock version atomically (UPDATE … WHERE lock_version = expected), so of two
    saves of the same form only the first one wins, whatever the timing."""
    model = MODELS[kind]
    statement = sa.update(model).where(model.id == row.id)
    if expected is not None:
        statement = statement.where(model.lock_version == expected)
    result = db.session.execute(statement.values(lock_version=model.lock_version + 1)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Stale(kind)
    db.session.refresh(row)


def check_slug(slug: str, taken: bool, what: str) -> None:
    if not SLUG.match(slug or "") or len(slug) > slugs.SLUG_MAX:
        raise ServiceError("bad_slug", f"the {what} slug must use a-z, 0-9 and - (e.g. bai-1)")
    if what == "course" and slug in RESERVED_COURSE_SLUGS:
        raise ServiceError("reserved_slug", f"'{slug}' is a page of the authoring site")
    if taken:
        raise ServiceError("slug_taken", f"the {what} slug '{slug}' is already used")


def _exists(model: Any, *conditions: Any) -> bool:
    return db.session.scalar(sa.select(model.id).where(*conditions).limit(1)) is not None


def _created(course_id: int, kind: str, row: Any, data: dict[str, Any], user_id: int | None,
             course: Course, action: str = "create") -> Any:
    apply(kind, row, data, course)
    db.session.add(row)
    db.session.flush()
    db.session.add(ContentDraft(course_id=course_id, kind=kind, object_id=row.id, data=data,
                                updated_by_id=user_id))
    history.record(course_id, kind, row.id, action, data, user_id, first=True)
    db.session.flush()
    return row


def create_course(slug: str, data: dict[str, Any], user_id: int | None) -> Course:
    check_slug(slug, _exists(Course, Course.slug == slug), "course")
    data = {"completion": dict(DEFAULT_COMPLETION), "certificate": {}, **data}
    course = Course(slug=slug, archived=True, title=data["title"])
    db.session.add(course)
    db.session.flush()
    return _created(course.id, "course", course, data, user_id, course)


def create_module(course: Course, slug: str, data: dict[str, Any], user_id: int | None) -> Module:
    check_slug(slug, _exists(Module, Module.course_id == course.id, Module.slug == slug),
                "module")
    last = db.session.scalar(sa.select(sa.func.max(Module.position)).where(
        Module.course_id == course.id)) or 0
    module = Module(course_id=course.id, slug=slug, position=last + 1, archived=True)
    return _created(course.id, "module", module, data, user_id, course)


def create_lesson(course: Course, module: Module, slug: str, data: dict[str, Any],
                  user_id: int | None) -> Lesson:
    check_slug(slug, _exists(Lesson, Lesson.course_id == course.id, Lesson.slug == slug),
                "lesson")
    last = db.session.scalar(sa.select(sa.func.max(Lesson.position)).where(
        Lesson.module_id == module.id)) or 0
    lesson = Lesson(course_id=course.id, module_id=module.id, slug=slug, position=last + 1,
                    archived=True)
    return _created(course.id, "lesson", lesson, data, user_id, course)


def create_quiz(course: Course, slug: str, data: dict[str, Any], user_id: int | None) -> Quiz:
    check_slug(slug, _exists(Quiz, Quiz.course_id == course.id, Quiz.slug == slug), "quiz")
    quiz = Quiz(course_id=course.id, slug=slug, position=0, archived=True)
    _created(course.id, "quiz", quiz, data, user_id, course)
    renumber_quizzes(course)
    return quiz


def check_question_key(quiz: Quiz, key: str, kind: str) -> None:
    if not QUESTION_KEY.match(key or ""):
        raise ServiceError("bad_key", "the question key uses letters, digits, _ and - only")
    keys = [(q.key, q.type) for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id))]
    if key in {k for k, _ in keys}:
        raise ServiceError("key_taken", f"the key '{key}' is already used in this quiz")
    if form_field_clashes([*keys, (key, kind)]):
        raise ServiceError("key_clash", f"the key '{key}' clashes with the answer fields of a "
                                        "matching or ordering question")


def create_question(course: Course, quiz: Quiz, key: str, data: dict[str, Any],
                    user_id: int | None, action: str = "create",
                    position: int | None = None) -> Question:
    """A new draft question. `position` given: the caller (an import) has checked the key
    against the whole quiz already and numbers its questions itself."""
    if position is None:
        check_question_key(quiz, key, data["type"])
        last = db.session.scalar(sa.select(sa.func.max(Question.position)).where(
            Question.quiz_id == quiz.id))
        position = (last + 1) if last is not None else 0
    question = Question(quiz_id=quiz.id, key=key, position=position, active=False, version=1)
    return _created(course.id, "question", question, data, user_id, course, action)


def renumber_quizzes(course: Course) -> None:
    """Quiz order is the order of their file names (slugs), as the package defines it."""
    quizzes = db.session.scalars(sa.select(Quiz).where(Quiz.course_id == course.id))
    ordered = sorted(quizzes, key=lambda q: (q.archived, q.slug))
    for position, quiz in enumerate(ordered):
        if quiz.position != position:
            quiz.position = position


def renumber_questions(quiz_id: int) -> None:
    """Questions trainees see (or will see) first, archived ones last: the package numbers the
    questions of a quiz file 0, 1, 2…, so visible questions must not leave gaps."""
    questions = db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz_id))
    ordered = sorted(questions, key=lambda q: (history.status("question", q, False) == "archived",
                                               q.position, q.id))
    for position, question in enumerate(ordered):
        if question.position != position:
            question.position = position


def _siblings(kind: str, row: Any) -> tuple[list[Any], int]:
    """Rows ordered together with `row`, and the first position number of that list."""
    if kind == "module":
        query, start = sa.select(Module).where(Module.course_id == row.course_id), 1
    elif kind == "lesson":
        query, start = sa.select(Lesson).where(Lesson.module_id == row.module_id), 1
    elif kind == "question":
        query, start = sa.select(Question).where(Question.quiz_id == row.quiz_id), 0
    else:
        raise ServiceError("not_movable", f"a {kind} cannot be moved")
    model = MODELS[kind]
    return list(db.session.scalars(query.order_by(model.position, model.id))), start


def move(kind: str, row: Any, direction: str) -> bool:
    """Swap with the neighbour above ("up") or below ("down"); False at either end."""
    rows, start = _siblings(kind, row)
    index = rows.index(row)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows, start):
        item.position = position
    if kind == "question":
        renumber_questions(row.quiz_id)
    db.session.flush()
    return True
