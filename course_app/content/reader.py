"""Shared helpers for reading package files: problems with file and line, translatable text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..domain.i18n_text import TextError, tr_text
from .specs import Problem, Text
from .yamlfile import LinedYaml, Path_, YamlError, load

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBERED = re.compile(r"^(\d{1,3})-(.+)$")
MAX_FILE_BYTES = 2 * 1024 * 1024


class FileReader:
    """Collects the problems of one file, each with its line."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]) -> None:
        self.path = path
        self.name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        self.problems = problems
        self.doc: LinedYaml | None = None

    def error(self, line: int, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(self.name, line, message, warning))

    def at(self, path: Path_, message: str, warning: bool = False) -> None:
        self.error(self.doc.line(path) if self.doc else 1, message, warning)

    def read_text(self) -> str | None:
        if self.path.stat().st_size > MAX_FILE_BYTES:
            self.error(1, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
            return None
        try:
            return self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            self.error(1, f"not UTF-8 text ({error.reason} at byte {error.start})")
            return None

    def load_yaml(self, text: str, offset: int = 0) -> dict[str, Any] | None:
        try:
            self.doc = load(text, offset)
        except YamlError as error:
            self.error(error.line, error.message)
            return None
        if not isinstance(self.doc.data, dict):
            self.error(1 + offset, "expected a YAML mapping (key: value lines)")
            return None
        return self.doc.data

    def text(self, data: dict[str, Any], key: str, required: bool = True) -> Text:
        if key not in data or data[key] is None:
            if required:
                self.at((), f"'{key}' is required")
            return {}
        try:
            value = tr_text(data[key])
        except TextError as error:
            self.at((key, *error.path), f"{key}: {error.message}")
            return {}
        if required and "en" not in value:
            self.at((key,), f"{key}: no English text (en); Vietnamese will be shown", True)
        return value

    def unknown_keys(self, data: dict[str, Any], allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.at((key,), f"unknown field '{key}' (allowed: {', '.join(sorted(allowed))})")


def numbered(name: str) -> tuple[int, str] | None:
    """'03-bao-chi' → (3, 'bao-chi'); None when the name has no NN- prefix."""
    match = NUMBERED.match(name)
    return (int(match.group(1)), match.group(2)) if match else None
