"""Writing course specs back as a course package, in exactly the format `read_package` reads:
export, check and load again changes nothing.

`package_files(courses)` gives every file as (relative path, bytes); `write_package` puts them
in a folder and `zip_package` in a zip archive."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..domain import review_options as review_rules
from ..domain.questions import get_type
from ..domain.questions._spec import authoring_number
from ..domain.text import word_count
from .lessons import WORDS_PER_MINUTE
from .specs import CourseSpec, LessonSpec, ModuleSpec, QuestionSpec, QuizSpec, Text


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as literal blocks (|), so lessons' texts stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    # No folding of long lines: what is read back must be exactly what was written.
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)


def text(value: Text) -> str | dict[str, str]:
    """A translatable text: the plain string when only Vietnamese is given."""
    return dict(value) if "en" in value else value["vi"]


def _number(value: float | int) -> float | int:
    return authoring_number(float(value)) if not isinstance(value, bool) else value


def _texts(data: dict[str, Any], **values: Text | None) -> dict[str, Any]:
    """Add the non-empty translatable texts to data, in the order given."""
    for name, value in values.items():
        if value:
            data[name] = text(value)
    return data


def course_yaml(course: CourseSpec) -> dict[str, Any]:
    data = _texts({}, title=course.title, description=course.description,
                  audience=course.audience)
    if course.estimated_hours is not None:
        data["estimated_hours"] = _number(course.estimated_hours)
    data["completion"] = dict(course.completion)
    certificate: dict[str, Any] = {}
    for name, value in course.certificate.items():
        if isinstance(value, dict):  # an empty text is read back from null, not from {}
            certificate[name] = text(value) if value else None
        else:
            certificate[name] = value
    if certificate:
        data["certificate"] = certificate
    return data


def module_yaml(module: ModuleSpec) -> dict[str, Any]:
    return _texts({}, title=module.title, summary=module.summary)


def lesson_files(lesson: LessonSpec) -> Iterator[tuple[str, str]]:
    """('vi' or 'en', the Markdown file) for each language of the lesson."""
    computed = max(1, -(-word_count(lesson.body["vi"]) // WORDS_PER_MINUTE))
    for lang in ("vi", "en"):
        if lang not in lesson.body:
            continue
        front: dict[str, Any] = {"title": lesson.title.get(lang, lesson.title["vi"])}
        objectives = lesson.objectives.get(lang) or []
        if objectives:
            front["objectives"] = list(objectives)
        if lang == "vi" and lesson.minutes != computed:
            front["minutes"] = lesson.minutes
        yield lang, "---\n" + dump_yaml(front) + "---\n" + lesson.body[lang]


def question_yaml(question: QuestionSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"key": question.key, "type": question.type,
                            "text": text(question.text), "points": _number(question.points)}
    _texts(data, explanation=question.explanation)
    if question.lesson:
        data["lesson"] = question.lesson
    for name, value in get_type(question.type).to_authoring(question.type_data).items():
        data[name] = _plain_texts(value)
    return data


def _plain_texts(value: Any) -> Any:
    """Inside a question's own fields, {vi} alone is written as a plain string too."""
    if isinstance(value, dict):
        if set(value) == {"vi"} and isinstance(value["vi"], str):
            return value["vi"]
        return {name: _plain_texts(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain_texts(item) for item in value]
    if isinstance(value, float):
        return authoring_number(value)
    return value


def quiz_yaml(quiz: QuizSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"slug": quiz.slug}
    _texts(data, title=quiz.title, description=quiz.description)
    if quiz.module:
        data["module"] = quiz.module
    data.update({"required": quiz.required, "pass_score": _number(quiz.pass_score)})
    for name in ("time_limit_minutes", "max_attempts"):
        if getattr(quiz, name) is not None:
            data[name] = getattr(quiz, name)
    data.update({"grading": quiz.grading, "shuffle_questions": quiz.shuffle_questions,
                 "shuffle_choices": quiz.shuffle_choices})
    if quiz.draw is not None:
        data["draw"] = quiz.draw
    data["review"] = review_rules.to_file(review_rules.effective(quiz.review,
                                                                 quiz.review_options))
    data["questions"] = [question_yaml(q) for q in quiz.questions]
    return data


def course_files(course: CourseSpec) -> Iterator[tuple[str, bytes]]:
    base = f"lessons/{course.slug}"
    yield f"{base}/course.yaml", dump_yaml(course_yaml(course)).encode()
    for media in course.media:
        yield f"{base}/media/{media.name}", media.data
    for module in course.modules:
        folder = f"{base}/{module.position:02d}-{module.slug}"
        yield f"{folder}/module.yaml", dump_yaml(module_yaml(module)).encode()
        for lesson in module.lessons:
            for lang, content in lesson_files(lesson):
                suffix = ".en.md" if lang == "en" else ".md"
                yield f"{folder}/{lesson.position:02d}-{lesson.slug}{suffix}", content.encode()
    for quiz in course.quizzes:
        yield f"quizzes/{course.slug}/{quiz.slug}.yaml", dump_yaml(quiz_yaml(quiz)).encode()


def package_files(courses: list[CourseSpec]) -> Iterator[tuple[str, bytes]]:
    for course in courses:
        yield from course_files(course)


def write_package(courses: list[CourseSpec], root: Path) -> list[Path]:
    """Write the package under root (lessons/…, quizzes/…); returns the files written."""
    written = []
    for name, data in package_files(courses):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def leftovers(courses: list[CourseSpec], root: Path, written: list[Path]) -> list[Path]:
    """Files in the exported courses' folders that the export did not write (an archived lesson,
    a renamed quiz…): `content load` would read them again, so they are worth a warning."""
    keep = {path.resolve() for path in written}
    found = []
    for course in courses:
        for folder in (root / "lessons" / course.slug, root / "quizzes" / course.slug):
            if folder.is_dir():
                found += [p for p in sorted(folder.rglob("*")) if p.is_file()
                          and p.resolve() not in keep]
    return found


def zip_package(courses: list[CourseSpec]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(courses):
            archive.writestr(name, data)
    return buffer.getvalue()
