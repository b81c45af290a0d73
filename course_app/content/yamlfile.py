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


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines)


def load(text: str, offset: int = 0) -> LinedYaml:
    """Parse YAML safely; raise YamlError with the line of a syntax error."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        raise YamlError(line, f"invalid YAML: {error.problem or error}") from error
    except yaml.YAMLError as error:
        raise YamlError(1 + offset, f"invalid YAML: {error}") from error
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines)
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
