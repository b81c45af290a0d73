"""Importing GIFT or Aiken questions into a quiz from the browser: a preview with every error
(with its line) comes first; importing adds the questions as new, unpublished drafts, all or
none. Keys already used in the quiz get a -2, -3… suffix: an import never overwrites.

Messages stay in English here, with what is needed to translate them: the parsers' LineErrors carry
their template and values, and a question's errors are either a question type's own message or one
of the N_-marked messages below; the import page shows them in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..catalog.quiz_import import MAX_IMPORT_BYTES, PLACEHOLDER_RUBRIC, decode, parse
from ..content.import_messages import N_, LineError
from ..domain import quiz_rules
from ..domain.errors import ServiceError
from ..domain.i18n_text import TextError, tr_text
from ..domain.questions import form_field_clashes, get_type
from ..extensions import db
from ..models import Course, Question, Quiz
from .service import create_question

KEY_CLASH = N_("its key clashes with the answer fields of a matching or ordering question")
NO_ESSAY_IN_REQUIRED = N_("the quiz is required, and a required quiz cannot hold essay questions")


@dataclass
class ImportedQuestion:
    number: int
    key: str
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)  # English


@dataclass
class ImportPreview:
    questions: list[ImportedQuestion]
    line_errors: list[LineError]
    warnings: list[LineError]

    @property
    def ok(self) -> bool:
        return bool(self.questions) and not self.line_errors and \
            not any(q.errors for q in self.questions)


def read_upload(data: bytes) -> str:
    return decode(data)


def preview(quiz: Quiz, text: str, fmt: str) -> ImportPreview:
    """Every question as it would be imported, with its errors. The text is held to the limit
    of an uploaded file, whichever way it came (the import button posts it back as a field)."""
    if len(text) > MAX_IMPORT_BYTES or len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise ServiceError("too_large", f"the file is larger than {MAX_IMPORT_BYTES // 1024} KiB")
    result = parse(text, fmt)
    existing = [(key, kind) for key, kind in db.session.execute(
        sa.select(Question.key, Question.type).where(Question.quiz_id == quiz.id))]
    used = {key for key, _ in existing}
    reached: dict[str, int] = {}
    questions = []
    for number, raw in enumerate(result.questions, 1):
        key = _free_key(raw["key"], used, reached)
        used.add(key)
        questions.append(_question(number, key, raw, quiz))
    clashes = set(form_field_clashes(existing + [(q.key, q.data["type"]) for q in questions]))
    for question in questions:
        if question.key in clashes:
            question.errors.append(KEY_CLASH)
    return ImportPreview(questions, list(result.errors), list(result.warnings))


def _free_key(key: str, used: set[str], reached: dict[str, int]) -> str:
    """The key, or key-2, key-3…: the first free one, searched from where this key's previous
    search stopped (every number below was taken then and still is)."""
    number = reached.get(key, 1)
    candidate = key if number == 1 else f"{key[:70]}-{number}"
    while candidate in used:
        number += 1
        candidate = f"{key[:70]}-{number}"
    reached[key] = number
    return candidate


def _question(number: int, key: str, raw: dict[str, Any], quiz: Quiz) -> ImportedQuestion:
    kind = get_type(raw["type"])
    authored = dict(raw)
    if kind.manual and not authored.get("rubric"):
        authored["rubric"] = PLACEHOLDER_RUBRIC  # Moodle essays have none; graders need one
    type_data, problems = kind.normalise(authored)
    errors = [problem.message for problem in problems]
    text: dict[str, str] = {}
    explanation: dict[str, str] = {}
    try:
        text = tr_text(raw.get("text"))
        explanation = tr_text(raw["explanation"]) if raw.get("explanation") else {}
    except TextError as error:
        errors.append(error.message)
    if not quiz_rules.may_hold_in(quiz.required, kind.name):
        errors.append(NO_ESSAY_IN_REQUIRED)
    data = {"type": kind.name, "text": text, "points": float(raw.get("points", 1)),
            "explanation": explanation, "type_data": type_data}
    return ImportedQuestion(number, key, data, errors)


def import_questions(course: Course, quiz: Quiz, text: str, fmt: str,
                     user_id: int | None) -> list[Question]:
    """Validate everything, then add every question as a new draft."""
    checked = preview(quiz, text, fmt)
    if not checked.ok:
        raise ServiceError("import_invalid", "the file has errors; nothing was imported")
    last = db.session.scalar(sa.select(sa.func.max(Question.position)).where(
        Question.quiz_id == quiz.id))
    first = (last + 1) if last is not None else 0
    # The preview checked every key against the quiz and each other: no per-question check,
    # which reloaded every question of the quiz each time (quadratic).
    return [create_question(course, quiz, q.key, q.data, user_id, action="import",
                            position=first + index)
            for index, q in enumerate(checked.questions)]
