"""Reading course.yaml, module.yaml and lesson Markdown files."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..domain.text import nfc, word_count
from .body_check import body_problems
from .reader import SLUG, FileReader, numbered
from .specs import LessonSpec, ModuleSpec, Problem
from .yamlfile import YamlError, split_front_matter

COURSE_KEYS = {"title", "description", "audience", "estimated_hours", "completion", "certificate"}
COMPLETION_KEYS = {"lessons", "quizzes", "min_average", "final_exam", "min_final_score",
                   "min_hours"}
CERTIFICATE_KEYS = {"title", "issuer", "place", "signatory_name", "signatory_title",
                    "validity_months", "text"}
LESSON_KEYS = {"title", "objectives", "minutes"}
WORDS_PER_MINUTE = 200


def read_module(folder: Path, root: Path, problems: list[Problem]) -> ModuleSpec | None:
    position, slug = numbered(folder.name) or (0, folder.name)
    reader = FileReader(folder / "module.yaml", root, problems)
    if not SLUG.match(slug) or position == 0:
        reader.error(1, f"module folder '{folder.name}' must be named NN-slug (a-z, 0-9, -)")
        return None
    if not reader.path.exists():
        reader.error(1, "module.yaml is missing")
        return None
    text = reader.read_text()
    data = reader.load_yaml(text) if text is not None else None
    if data is None:
        return None
    reader.unknown_keys(data, {"title", "summary", "order"})
    module = ModuleSpec(slug, int(data.get("order") or position), reader.text(data, "title"),
                        reader.text(data, "summary", required=False))
    module.lessons = read_lessons(folder, root, problems)
    if not module.lessons:
        reader.error(1, "a module needs at least one lesson (NN-slug.md)")
    return module


def read_lessons(folder: Path, root: Path, problems: list[Problem]) -> list[LessonSpec]:
    lessons = []
    for path in sorted(folder.glob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        lesson = read_lesson(path, root, problems)
        if lesson is not None:
            lessons.append(lesson)
    for path in sorted(folder.glob("*.en.md")):
        if not path.with_name(path.name.replace(".en.md", ".md")).exists():
            problems.append(Problem(str(path.relative_to(root)), 1,
                                    "English lesson without a Vietnamese lesson of the same name"))
    return lessons


def _read_one(path: Path, root: Path, problems: list[Problem]) -> tuple[dict[str, Any], str] | None:
    reader = FileReader(path, root, problems)
    text = reader.read_text()
    if text is None:
        return None
    try:
        front, body, first_line = split_front_matter(text.replace("\r\n", "\n"))
    except YamlError as error:
        reader.error(error.line, error.message)
        return None
    data = reader.load_yaml(front, offset=1)
    if data is None:
        return None
    reader.unknown_keys(data, LESSON_KEYS)
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        reader.at((), "'title' is required (a string)")
        return None
    objectives = data.get("objectives") or []
    if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
        reader.at(("objectives",), "'objectives' must be a list of strings")
        return None
    if not body.strip():
        reader.error(first_line, "the lesson body is empty")
        return None
    for line, message in body_problems(body, first_line, reader.path.parent.parent / "media"):
        reader.error(line, message)  # at its own line of the file, front matter counted
    return data, nfc(body)


def read_lesson(path: Path, root: Path, problems: list[Problem]) -> LessonSpec | None:
    position, slug = numbered(path.name.removesuffix(".md")) or (0, "")
    if not SLUG.match(slug) or position == 0:
        problems.append(Problem(str(path.relative_to(root)), 1,
                                "lesson file must be named NN-slug.md (a-z, 0-9, -)"))
        return None
    vi = _read_one(path, root, problems)
    english_path = path.with_name(path.name.removesuffix(".md") + ".en.md")
    en = _read_one(english_path, root, problems) if english_path.exists() else None
    if vi is None:
        return None
    if en is None and not english_path.exists():
        problems.append(Problem(str(path.relative_to(root)), 1,
                                "no English version (.en.md); Vietnamese will be shown", True))
    (vi_meta, vi_body), (en_meta, en_body) = vi, en or ({}, "")
    title = {"vi": nfc(vi_meta["title"].strip())}
    body = {"vi": vi_body}
    objectives = {"vi": [nfc(o) for o in vi_meta.get("objectives") or []]}
    if en_meta:
        title["en"] = nfc(en_meta["title"].strip())
        body["en"] = en_body
        objectives["en"] = [nfc(o) for o in en_meta.get("objectives") or []]
    minutes = vi_meta.get("minutes") or max(1, math.ceil(word_count(vi_body) / WORDS_PER_MINUTE))
    return LessonSpec(slug, position, title, objectives, body, int(minutes))
