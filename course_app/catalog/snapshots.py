"""Authored content in one shape for every kind: a plain dict (the "data") that a draft, a
revision and the published row all hold. `snapshot` reads it from the published row, `apply`
writes it back (publishing), `diff` says what changed between two versions."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..content.lessons import WORDS_PER_MINUTE
from ..content.markdown import render
from ..domain.text import word_count
from ..extensions import db
from ..models import Course, Lesson, Module, Question, Quiz

QUIZ_SETTINGS = ("required", "pass_score", "time_limit_minutes", "max_attempts", "grading",
                 "shuffle_questions", "shuffle_choices", "draw", "review", "review_options")
MODELS: dict[str, Any] = {"course": Course, "module": Module, "lesson": Lesson, "quiz": Quiz,
                          "question": Question}


def auto_minutes(body_vi: str) -> int:
    """Reading time as the package computes it when a lesson gives no `minutes`."""
    return max(1, math.ceil(word_count(body_vi or "") / WORDS_PER_MINUTE))


def media_base(course: Course) -> str:
    return f"/courses/{course.slug}/media"


def question_hash(kind: str, text: dict, points: float, explanation: dict,
                  type_data: dict) -> str:
    """The content hash the loader keeps per question; a new hash means a new version."""
    content = {"type": kind, "text": text, "points": points, "explanation": explanation,
               "type_data": type_data}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def snapshot(kind: str, row: Any) -> dict[str, Any]:
    """The published content of a row, as data."""
    return copy.deepcopy(_SNAPSHOTS[kind](row))


def _course(row: Course) -> dict[str, Any]:
    return {"title": row.title, "description": row.description or {},
            "audience": row.audience or {}, "estimated_hours": row.estimated_hours,
            "completion": row.completion or {}, "certificate": row.certificate or {}}


def _module(row: Module) -> dict[str, Any]:
    return {"title": row.title, "summary": row.summary or {}}


def _lesson(row: Lesson) -> dict[str, Any]:
    minutes = None if row.minutes == auto_minutes(row.body.get("vi", "")) else row.minutes
    return {"title": row.title, "objectives": row.objectives or {}, "body": row.body,
            "minutes": minutes}


def _quiz(row: Quiz) -> dict[str, Any]:
    module = db.session.get(Module, row.module_id) if row.module_id else None
    data = {"title": row.title, "description": row.description or {},
            "module": module.slug if module else None}
    data.update({name: getattr(row, name) for name in QUIZ_SETTINGS})
    return data


def _question(row: Question) -> dict[str, Any]:
    return {"type": row.type, "text": row.text, "points": row.points,
            "explanation": row.explanation or {}, "type_data": row.type_data}


_SNAPSHOTS = {"course": _course, "module": _module, "lesson": _lesson, "quiz": _quiz,
              "question": _question}


def apply(kind: str, row: Any, data: dict[str, Any], course: Course) -> None:
    """Make `data` the published content of `row`."""
    data = copy.deepcopy(data)
    if kind == "lesson":
        body = data["body"]
        row.title, row.objectives, row.body = data["title"], data["objectives"], body
        row.html = {lang: render(source, media_base(course)) for lang, source in body.items()}
        row.minutes = data.get("minutes") or auto_minutes(body.get("vi", ""))
    elif kind == "question":
        _apply_question(row, data)
    elif kind == "quiz":
        module = db.session.scalar(sa.select(Module).where(
            Module.course_id == course.id, Module.slug == data["module"])) \
            if data.get("module") else None
        row.title, row.description = data["title"], data["description"]
        row.module_id = module.id if module else None
        for name in QUIZ_SETTINGS:
            setattr(row, name, data.get(name))  # a draft older than a setting leaves it unset
    else:
        for name, value in data.items():
            setattr(row, name, value)


def _apply_question(row: Question, data: dict[str, Any]) -> None:
    digest = question_hash(data["type"], data["text"], float(data["points"]),
                           data["explanation"], data["type_data"])
    shown_before = row.published_at is not None or bool(row.active)  # imports set no date
    if shown_before and row.content_hash != digest:
        row.version = (row.version or 1) + 1  # attempts keep the snapshot of the old version
    row.type, row.text, row.points = data["type"], data["text"], float(data["points"])
    row.explanation, row.type_data, row.content_hash = (data["explanation"], data["type_data"],
                                                        digest)


@dataclass
class Change:
    """One changed field: its path ("body.vi"), the values before and after, and for long texts
    the changed lines."""

    path: str
    before: Any
    after: Any
    lines: list[str] = field(default_factory=list)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"title": {"vi": "x"}} -> {"title.vi": "x"}; lists by index."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{index + 1}" if prefix else str(index + 1)))
        return out
    return {prefix: value}


def _empty(value: Any) -> bool:
    return value is None or value == {} or value == [] or value == ""


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """What changed from `before` (None: nothing existed) to `after`."""
    old, new = flatten(before or {}), flatten(after)
    changes = []
    for path in [*new, *(p for p in old if p not in new)]:
        a, b = old.get(path), new.get(path)
        if a == b or (_empty(a) and _empty(b)):
            continue
        lines = []
        if isinstance(a, str | None) and isinstance(b, str) and "\n" in (a or "") + b:
            lines = list(difflib.unified_diff((a or "").splitlines(), b.splitlines(),
                                              lineterm="", n=1))[2:]
        changes.append(Change(path, a, b, lines))
    return changes


def changed_paths(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    return [change.path for change in diff(before, after)][:50]
