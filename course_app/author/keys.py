"""Slugs and question keys of new items: proposed from the title when the field is left empty
(domain/slugs.py, the same rule as static/js/slug.js), then checked in their scope, so that
the error is shown beside the field together with the form's other errors."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..domain import slugs
from ..domain.errors import ServiceError
from ..domain.questions import form_field_clashes
from ..extensions import db
from ..models import Course, Lesson, Module, Question, Quiz
from . import service as authoring
from .forms import Parsed
from .views import MESSAGES

# kind -> (model, scoped to the course?)
SCOPES: dict[str, Any] = {"course": Course, "module": Module, "lesson": Lesson, "quiz": Quiz}


def slug_taken(kind: str, course: Course | None, slug: str) -> bool:
    model = SCOPES[kind]
    query = sa.select(model.id).where(model.slug == slug)
    if kind != "course" and course is not None:
        query = query.where(model.course_id == course.id)
    return db.session.scalar(query.limit(1)) is not None


def _title(values: dict[str, str], name: str = "title") -> str:
    return values.get(f"{name}-vi", "").strip() or values.get(f"{name}-en", "").strip()


def slug_for(kind: str, course: Course | None, values: dict[str, str], parsed: Parsed) -> str:
    """The posted slug, or one proposed from the title when the field was left empty (put back
    into `values`, so a form shown again holds it); a problem goes to parsed.errors["slug"]."""
    slug = values.get("slug", "").strip()
    if not slug:
        reserved = authoring.RESERVED_COURSE_SLUGS if kind == "course" else ()
        slug = slugs.propose(_title(values), lambda s: slug_taken(kind, course, s),
                             reserved=reserved)
    values["slug"] = slug
    if not slug:
        if "title-vi" not in parsed.errors:
            parsed.error("slug", _message("slug_required"))
        return slug
    try:
        authoring.check_slug(slug, slug_taken(kind, course, slug), kind)
    except ServiceError as error:
        parsed.error("slug", _message(error.code))
    return slug


def key_for(quiz: Quiz, kind: str, values: dict[str, str], parsed: Parsed) -> str:
    """The posted question key, or one made of the question's first words (q1, q2… for a
    question without a letter or digit); checked against the quiz's other keys."""
    key = values.get("key", "").strip()
    if not key:
        keys = [(k, t) for k, t in db.session.execute(
            sa.select(Question.key, Question.type).where(Question.quiz_id == quiz.id))]
        used = {k for k, _ in keys}

        def taken(candidate: str) -> bool:
            return candidate in used or bool(form_field_clashes([*keys, (candidate, kind)]))

        key = slugs.propose(_title(values, "text"), taken, most=slugs.KEY_MAX) or \
            next(f"q{n}" for n in range(1, len(used) + 2) if not taken(f"q{n}"))
    values["key"] = key
    try:
        authoring.check_question_key(quiz, key, kind)
    except ServiceError as error:
        parsed.error("key", _message(error.code))
    return key


def _message(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES["bad_slug"]))
