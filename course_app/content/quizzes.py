"""Reading quiz files into specs; question types validate their own fields."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..domain import quiz_rules
from ..domain import review_options as review_rules
from ..domain.i18n_text import TextError, tr_text
from ..domain.questions import QUESTION_TYPES, form_field_clashes, get_type
from .reader import SLUG, FileReader
from .specs import Problem, QuestionSpec, QuizSpec

QUIZ_KEYS = {"slug", "title", "description", "module", "required", "pass_score",
             "time_limit_minutes", "max_attempts", "grading", "shuffle_questions",
             "shuffle_choices", "draw", "review", "questions"}
COMMON_QUESTION_KEYS = {"key", "type", "text", "points", "explanation", "lesson"}
QUESTION_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
GRADING = ("highest", "last", "first", "average")
REVIEW = ("full", "score")  # the shorthands; `review` may also be a mapping of aspects


def _positive_int(reader: FileReader, data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        reader.at((key,), f"'{key}' must be a whole number of 1 or more")
        return None
    return value


def _boolean(reader: FileReader, data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        reader.at((key,), f"'{key}' must be true or false")
        return default
    return value


def _choice(reader: FileReader, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key, allowed[0])
    if value not in allowed:
        reader.at((key,), f"'{key}' must be one of: {', '.join(allowed)}")
        return allowed[0]
    return str(value)


def _review(reader: FileReader, data: dict[str, Any]) -> tuple[str, dict[str, list[str]] | None]:
    try:
        options = review_rules.parse(data.get("review", "full"))
    except review_rules.ReviewOptionsError as error:
        reader.at(("review", *error.path), error.message)
        return "full", None
    return review_rules.to_storage(options)


def _pass_score(reader: FileReader, data: dict[str, Any]) -> float:
    value = data.get("pass_score", 70)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        reader.at(("pass_score",), "'pass_score' must be a percentage from 0 to 100")
        return 70.0
    return float(value)


def read_quiz(path: Path, root: Path, position: int, problems: list[Problem]) -> QuizSpec | None:
    reader = FileReader(path, root, problems)
    text = reader.read_text()
    data = reader.load_yaml(text) if text is not None else None
    if data is None:
        return None
    reader.unknown_keys(data, QUIZ_KEYS)
    slug = str(data.get("slug") or path.stem)
    if not SLUG.match(slug) or slug != path.stem:
        reader.at(("slug",), f"quiz slug '{slug}' must match the file name and use a-z, 0-9, -")
    module = data.get("module")
    if module is not None and (not isinstance(module, str) or not SLUG.match(module)):
        reader.at(("module",), "'module' must be a module slug")
        module = None
    quiz = QuizSpec(
        slug=slug, position=position, title=reader.text(data, "title"),
        description=reader.text(data, "description", required=False), module=module,
        required=_boolean(reader, data, "required", True), pass_score=_pass_score(reader, data),
        time_limit_minutes=_positive_int(reader, data, "time_limit_minutes"),
        max_attempts=_positive_int(reader, data, "max_attempts"),
        grading=_choice(reader, data, "grading", GRADING),
        shuffle_questions=_boolean(reader, data, "shuffle_questions", False),
        shuffle_choices=_boolean(reader, data, "shuffle_choices", False),
        draw=_positive_int(reader, data, "draw"), review="full",
    )
    quiz.review, quiz.review_options = _review(reader, data)
    quiz.questions = _read_questions(reader, data.get("questions"))
    _check_quiz_rules(reader, quiz)
    return quiz


def _check_quiz_rules(reader: FileReader, quiz: QuizSpec) -> None:
    if not quiz.questions:
        reader.at(("questions",), "a quiz needs at least one question")
    if quiz.draw and quiz.draw > len(quiz.questions):
        reader.at(("draw",), f"'draw' is {quiz.draw} but the quiz has {len(quiz.questions)} "
                             "questions")
    for key in form_field_clashes((q.key, q.type) for q in quiz.questions):
        reader.at(("questions",), f"question key '{key}' clashes with the answer fields of a "
                                  "matching or ordering question; rename it")
    manual = quiz_rules.essays_in((q.key, q.type) for q in quiz.questions)
    capstone = quiz_rules.is_capstone((q.type, q.type_data) for q in quiz.questions)
    if not quiz_rules.allows(quiz.required, bool(manual), capstone):
        reader.at(("required",), "a required quiz cannot hold essay questions (certificates "
                                 "must not wait for a trainer), unless every question is an "
                                 f"essay graded by a rubric grid (a capstone): {', '.join(manual)}")


def _read_questions(reader: FileReader, raw: Any) -> list[QuestionSpec]:
    if not isinstance(raw, list):
        reader.at(("questions",), "'questions' must be a list")
        return []
    questions: list[QuestionSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        question = _read_question(reader, index, item)
        if question is None:
            continue
        if question.key in seen:
            reader.at(("questions", index, "key"), f"duplicate question key '{question.key}'")
            continue
        seen.add(question.key)
        questions.append(question)
    return questions


def _read_question(reader: FileReader, index: int, item: Any) -> QuestionSpec | None:
    where = ("questions", index)
    if not isinstance(item, dict):
        reader.at(where, "each question must be a mapping with key, type, text…")
        return None
    key, kind = str(item.get("key") or ""), item.get("type")
    if not QUESTION_KEY.match(key):
        reader.at((*where, "key"), "question 'key' is required (letters, digits, _ and -)")
        return None
    if not isinstance(kind, str) or kind not in QUESTION_TYPES:
        reader.at((*where, "type"), f"question {key}: unknown type {kind!r} (one of: "
                                    f"{', '.join(QUESTION_TYPES)})")
        return None
    type_data, errors = get_type(kind).normalise(item)
    for error in errors:
        reader.at((*where, *error.path), f"question {key}: {error.message}")
    points = item.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
        reader.at((*where, "points"), f"question {key}: 'points' must be a number >= 0")
        points = 1
    text = _question_text(reader, where, item, "text", key)
    explanation = _question_text(reader, where, item, "explanation", key, required=False)
    lesson = item.get("lesson")
    if lesson is not None and (not isinstance(lesson, str) or not SLUG.match(lesson)):
        reader.at((*where, "lesson"), f"question {key}: 'lesson' must be a lesson slug")
        lesson = None
    if errors or not text:
        return None
    at = (reader.name, reader.doc.line((*where, "lesson")) if reader.doc else 1)
    return QuestionSpec(key, str(kind), index, text, float(points), explanation, type_data,
                        lesson, at if lesson else None)


def _question_text(reader: FileReader, where: tuple[str | int, ...], item: dict[str, Any],
                   field: str, key: str, required: bool = True) -> dict[str, str]:
    value = item.get(field)
    if value is None:
        if required:
            reader.at(where, f"question {key}: '{field}' is required")
        return {}
    try:
        text = tr_text(value)
    except TextError as error:
        reader.at((*where, field, *error.path), f"question {key}: {field}: {error.message}")
        return {}
    if "en" not in text:
        reader.at((*where, field), f"question {key}: {field}: no English text (en)", True)
    return text
