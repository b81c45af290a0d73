"""A whole course package: lessons/<course>/… and quizzes/<course>/… into CourseSpecs."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .lessons import CERTIFICATE_KEYS, COMPLETION_KEYS, COURSE_KEYS, read_module
from .quizzes import read_quiz
from .reader import SLUG, FileReader
from .specs import CourseSpec, MediaSpec, Problem

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".webp": "image/webp"}
MAX_MEDIA_BYTES = 2 * 1024 * 1024
SVG_FORBIDDEN = (b"<script", b"foreignobject", b"javascript:", b"onload=", b"onerror=")


def read_package(root: Path) -> tuple[list[CourseSpec], list[Problem]]:
    """Read every course under root/lessons with its quizzes under root/quizzes."""
    problems: list[Problem] = []
    lessons_dir = root / "lessons"
    if not lessons_dir.is_dir():
        return [], [Problem(str(lessons_dir), 1, "no lessons/ folder here (use --root DIR)")]
    courses = []
    for folder in sorted(p for p in lessons_dir.iterdir() if p.is_dir()):
        course = read_course(folder, root, problems)
        if course is not None:
            courses.append(course)
    _orphan_quiz_folders(root, {c.slug for c in courses}, problems)
    return courses, problems


def _orphan_quiz_folders(root: Path, slugs: set[str], problems: list[Problem]) -> None:
    quizzes_dir = root / "quizzes"
    if quizzes_dir.is_dir():
        for folder in sorted(p for p in quizzes_dir.iterdir() if p.is_dir()):
            if folder.name not in slugs:
                problems.append(Problem(str(folder.relative_to(root)), 1,
                                        f"quizzes for unknown course '{folder.name}'"))


def read_course(folder: Path, root: Path, problems: list[Problem]) -> CourseSpec | None:
    reader = FileReader(folder / "course.yaml", root, problems)
    if not SLUG.match(folder.name):
        reader.error(1, f"course folder '{folder.name}' must be a slug (a-z, 0-9, -)")
        return None
    if not reader.path.exists():
        reader.error(1, "course.yaml is missing")
        return None
    text = reader.read_text()
    data = reader.load_yaml(text) if text is not None else None
    if data is None:
        return None
    reader.unknown_keys(data, COURSE_KEYS)
    course = CourseSpec(
        slug=folder.name, title=reader.text(data, "title"),
        description=reader.text(data, "description", required=False),
        audience=reader.text(data, "audience", required=False),
        estimated_hours=_hours(reader, data), completion=_completion(reader, data),
        certificate=_certificate(reader, data),
    )
    for module_dir in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != "media"):
        module = read_module(module_dir, root, problems)
        if module is not None:
            course.modules.append(module)
    course.media = read_media(folder / "media", root, problems)
    course.quizzes = _read_quizzes(root / "quizzes" / folder.name, root, problems)
    _cross_checks(reader, course)
    return course


def _hours(reader: FileReader, data: dict[str, Any]) -> float | None:
    value = data.get("estimated_hours")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or value <= 0):
        reader.at(("estimated_hours",), "'estimated_hours' must be a positive number")
        return None
    return None if value is None else float(value)


def _completion(reader: FileReader, data: dict[str, Any]) -> dict[str, Any]:
    raw = data.get("completion") or {}
    if not isinstance(raw, dict):
        reader.at(("completion",), "'completion' must be a mapping")
        return {}
    for key in raw:
        if key not in COMPLETION_KEYS:
            reader.at(("completion", key), f"unknown completion field '{key}'")
    if raw.get("lessons", "all") != "all":
        reader.at(("completion", "lessons"), "completion 'lessons' must be 'all'")
    if raw.get("quizzes", "required") != "required":
        reader.at(("completion", "quizzes"), "completion 'quizzes' must be 'required'")
    rule: dict[str, Any] = {"lessons": "all", "quizzes": "required"}
    for key in ("min_average", "min_final_score"):
        value = raw.get(key)
        if value is not None and (not _is_number(value) or not 0 <= value <= 100):
            reader.at(("completion", key), f"'{key}' must be a percentage 0–100")
            value = None
        rule[key] = value
    final_exam = raw.get("final_exam")
    if final_exam is not None and (not isinstance(final_exam, str) or not final_exam.strip()):
        reader.at(("completion", "final_exam"), "'final_exam' must be the slug of a quiz")
        final_exam = None
    if rule["min_final_score"] is not None and final_exam is None:
        reader.at(("completion", "min_final_score"), "'min_final_score' needs 'final_exam'")
    rule["final_exam"] = final_exam
    hours = raw.get("min_hours")
    if hours is not None and (not _is_number(hours) or hours < 0):
        reader.at(("completion", "min_hours"), "'min_hours' must be a number of hours >= 0")
        hours = None
    rule["min_hours"] = hours
    return rule


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _certificate(reader: FileReader, data: dict[str, Any]) -> dict[str, Any]:
    raw = data.get("certificate") or {}
    if not isinstance(raw, dict):
        reader.at(("certificate",), "'certificate' must be a mapping")
        return {}
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in CERTIFICATE_KEYS:
            reader.at(("certificate", key), f"unknown certificate field '{key}'")
        elif key == "validity_months":
            if value is not None and (not isinstance(value, int) or value < 1):
                reader.at(("certificate", key), "'validity_months' must be a whole number >= 1")
            else:
                result[key] = value
        elif key == "signatory_name":
            result[key] = str(value) if value is not None else None
        else:
            result[key] = reader.text(raw, key, required=False)
    return result


def read_media(folder: Path, root: Path, problems: list[Problem]) -> list[MediaSpec]:
    media = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        reader = FileReader(path, root, problems)
        content_type = MEDIA_TYPES.get(path.suffix.lower())
        if content_type is None:
            reader.error(1, f"unsupported media type (allowed: {', '.join(MEDIA_TYPES)})")
            continue
        data = path.read_bytes()
        if len(data) > MAX_MEDIA_BYTES:
            reader.error(1, "image larger than 2 MiB")
            continue
        if content_type == "image/svg+xml" and any(s in data.lower() for s in SVG_FORBIDDEN):
            reader.error(1, "SVG must not contain scripts, event handlers or foreignObject")
            continue
        media.append(MediaSpec(path.name, content_type, data))
    return media


def _read_quizzes(folder: Path, root: Path, problems: list[Problem]) -> list:  # type: ignore[type-arg]
    quizzes = []
    for position, path in enumerate(sorted(folder.glob("*.yaml")) if folder.is_dir() else []):
        quiz = read_quiz(path, root, position, problems)
        if quiz is not None:
            quizzes.append(quiz)
    return quizzes


def _cross_checks(reader: FileReader, course: CourseSpec) -> None:
    module_slugs = [m.slug for m in course.modules]
    for slug in {s for s in module_slugs if module_slugs.count(s) > 1}:
        reader.error(1, f"two modules share the slug '{slug}'")
    lesson_slugs = [lesson.slug for m in course.modules for lesson in m.lessons]
    for slug in sorted({s for s in lesson_slugs if lesson_slugs.count(s) > 1}):
        reader.error(1, f"two lessons share the slug '{slug}' (lesson slugs are unique per course)")
    for quiz in course.quizzes:
        if quiz.module is not None and quiz.module not in module_slugs:
            reader.error(1, f"quiz '{quiz.slug}' names unknown module '{quiz.module}'")
        for question in quiz.questions:
            if question.lesson and question.lesson not in lesson_slugs:
                file, line = question.lesson_at or (reader.name, 1)
                reader.problems.append(Problem(file, line, f"question {question.key}: unknown "
                                                            f"lesson '{question.lesson}'"))
    if not course.modules:
        reader.error(1, "a course needs at least one module folder (NN-slug/)")
    final_exam = course.completion.get("final_exam")
    if final_exam and final_exam not in {quiz.slug for quiz in course.quizzes}:
        reader.at(("completion", "final_exam"), f"completion names unknown quiz '{final_exam}'")


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
