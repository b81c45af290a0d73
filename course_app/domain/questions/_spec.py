"""Shared checks for `normalise`: each check records SpecErrors with their path."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from course_app.domain.i18n_text import TextError, tr_text
from course_app.domain.questions.base import COMMON_FIELDS, Path, SpecError

CHOICE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
ITEM_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")  # the loader rejects keys whose fields clash
LABELS = {
    "single": "a single-choice", "multiple": "a multiple-choice", "true_false": "a true/false",
    "short": "a short-answer", "numeric": "a numeric", "matching": "a matching",
    "ordering": "an ordering", "essay": "an essay",
}


class Spec:
    """Collects authoring errors while reading one question mapping."""

    def __init__(self, raw: Mapping[str, Any], type_name: str) -> None:
        self.raw = raw
        self.label = LABELS.get(type_name, f"a {type_name}") + " question"
        self.errors: list[SpecError] = []

    def error(self, path: Path, message: str) -> None:
        self.errors.append(SpecError(tuple(path), message))

    def unknown_fields(self, mapping: Mapping, allowed: Iterable[str], path: Path) -> None:
        allowed_set = set(allowed) | (COMMON_FIELDS if path == () else set())
        for name in mapping:
            if name not in allowed_set:
                message = f"unknown field {name!r} in {self.label}"
                self.error((*path, str(name)), message)

    def mapping(self, value: Any, path: Path, what: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.error(path, f"{what} must be a mapping")
        return None

    def list_of(self, value: Any, path: Path, what: str, minimum: int) -> list[Any] | None:
        if value is None:
            self.error(path, f"{self.label} needs {what}")
            return None
        if not isinstance(value, list):
            self.error(path, f"{what} must be a list")
            return None
        if len(value) < minimum:
            self.error(path, f"{self.label} needs at least {minimum} {what}"
                       f" (found {len(value)})")
        return value

    def text(self, value: Any, path: Path, what: str = "text") -> dict[str, str] | None:
        if value is None:
            self.error(path, f"{what} is missing")
            return None
        try:
            return tr_text(value)
        except TextError as exc:
            self.error((*path, *exc.path), f"{what}: {exc.message}")
            return None

    def optional_text(self, mapping: Mapping[str, Any], name: str, path: Path) -> dict | None:
        if mapping.get(name) is None:
            return None
        return self.text(mapping[name], (*path, name), name)

    def boolean(self, mapping: Mapping[str, Any], name: str, path: Path, default: bool) -> bool:
        value = mapping.get(name, default)
        if isinstance(value, bool):
            return value
        self.error((*path, name), f"{name} must be true or false")
        return default

    def number(self, value: Any, path: Path, what: str,
               low: float | None = None, high: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"{what} must be a number")
            return None
        if not math.isfinite(value):
            self.error(path, f"{what} must be a finite number")
            return None
        if low is not None and value < low:
            self.error(path, f"{what} must be at least {low:g} (found {value:g})")
            return None
        if high is not None and value > high:
            self.error(path, f"{what} must be at most {high:g} (found {value:g})")
            return None
        return float(value)

    def key(self, value: Any, path: Path, pattern: re.Pattern[str] = CHOICE_KEY) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(path, "key must be a string (put quotes around yes/no/true/false)")
            return None
        if not pattern.fullmatch(value):
            chars = "A-Z a-z 0-9 _ -" if pattern is CHOICE_KEY else "A-Z a-z 0-9 _"
            self.error(path, f"key {value!r} must be 1-64 characters among {chars}")
            return None
        return value

    def unique_keys(self, entries: list[tuple[int, str | None]], list_name: str) -> None:
        seen: set[str] = set()
        for index, key in entries:
            if key is None:
                continue
            if key in seen:
                self.error((list_name, index, "key"), f"duplicate key {key!r}")
            seen.add(key)


def with_feedback(entry: dict[str, Any], feedback: dict | None) -> dict[str, Any]:
    """`entry` plus its feedback, when there is one."""
    if feedback is not None:
        entry["feedback"] = feedback
    return entry


def authoring_number(value: float) -> int | float:
    """A whole float as int (3.0 -> 3) so exported YAML reads naturally."""
    return int(value) if value.is_integer() else value
