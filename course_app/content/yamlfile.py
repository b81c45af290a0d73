"""YAML with line numbers: every error can name the line a value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class LinedYaml:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    offset: int = 0

    def line(self, path: Path_) -> int:
        """The line of the deepest known part of path (1-based, file-relative)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]] + self.offset
        return 1 + self.offset


MAX_DEPTH = 40
MAX_NODES = 200_000


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int],
          seen: set[int] | None = None) -> None:
    """Record the line of every value; refuse recursive aliases and runaway alias expansion."""
    seen = set() if seen is None else seen
    if id(node) in seen or len(path) > MAX_DEPTH:
        raise YamlError(node.start_mark.line + 1, "invalid YAML: recursive or too deeply "
                                                  "nested value (check anchors and aliases)")
    if len(lines) > MAX_NODES:
        raise YamlError(node.start_mark.line + 1, "invalid YAML: the file expands to too many "
                                                  "values (check anchors and aliases)")
    lines.setdefault(path, node.start_mark.line + 1)
    children: list[tuple[str | int, yaml.Node, int]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            children.append((key, value_node, key_node.start_mark.line + 1))
    elif isinstance(node, yaml.SequenceNode):
        children = [(index, item, item.start_mark.line + 1)
                    for index, item in enumerate(node.value)]
    if not children:
        return
    seen.add(id(node))
    for key, child, line in children:
        lines[(*path, key)] = line
        _walk(child, (*path, key), lines, seen)
    seen.discard(id(node))


def _deep_line(text: str) -> int:
    """The line where brackets first nest deeper than MAX_DEPTH (1 if none do)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_DEPTH:
                return number
    return 1


def _too_deep(text: str, offset: int) -> YamlError:
    return YamlError(_deep_line(text) + offset, "invalid YAML: too deeply nested value "
                     f"(more than {MAX_DEPTH} levels)")


def load(text: str, offset: int = 0) -> LinedYaml:
    """Parse YAML safely; raise YamlError with the line of a syntax error. PyYAML composes
    nested values recursively: a deeply nested one ends Python's recursion, not PyYAML's
    checks, and becomes a YamlError too (issue 18, item 17)."""
    try:
        return _load(text, offset)
    except RecursionError:
        raise _too_deep(text, offset) from None


def _load(text: str, offset: int) -> LinedYaml:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        raise YamlError(line, f"invalid YAML: {error.problem or error}") from error
    except yaml.YAMLError as error:
        raise YamlError(1 + offset, f"invalid YAML: {error}") from error
    lines: dict[Path_, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except YamlError as error:
            raise YamlError(error.line + offset, error.message) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:  # already parsed once: only constructor errors remain
        raise YamlError(1 + offset, f"invalid YAML: {error}") from error
    return LinedYaml(data=data, lines=lines, offset=offset)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a Markdown file into (front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise YamlError(1, "a lesson must start with YAML front matter between '---' lines")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise YamlError(1, "the front matter has no closing '---' line")
