"""Problems inside a lesson's Markdown body, each at its own line of the file (the body's first
line given, so the front matter is counted): images outside media/, missing or without alt
text; links to media files that do not exist or with no target; tables that do not parse or
whose rows have more cells than the header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .markdown import _parser

Found = tuple[int, str]  # (line in the file, message)
TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _line_of(lines: list[str], first: int, last: int, needle: str) -> int:
    """The 0-based body line in first..last (exclusive) holding `needle`, else `first`."""
    for index in range(first, min(last, len(lines))):
        if needle and needle in lines[index]:
            return index
    return first


def _cells(line: str) -> int:
    text = line.strip().removeprefix("|").removesuffix("|")
    return len(re.split(r"(?<!\\)\|", text))


def _tables(lines: list[str], tokens: list) -> Iterator[tuple[int, str]]:  # type: ignore[type-arg]
    for token in tokens:
        if token.type == "table_open" and token.map:
            start, end = token.map
            header = _cells(lines[start])
            for index in range(start + 2, min(end, len(lines))):
                if lines[index].strip() and _cells(lines[index]) > header:
                    yield index, (f"table row has {_cells(lines[index])} cells but the header "
                                  f"has {header}: the extra cells are lost")
        elif token.type == "paragraph_open" and token.map:
            start, end = token.map
            block = lines[start:end]
            if len(block) >= 2 and all(TABLE_LINE.match(line) for line in block):
                yield start, ("this looks like a table but does not parse: the second line must "
                              "be a delimiter row such as | --- | --- |")


def body_problems(body: str, first_line: int, media: Path) -> list[Found]:
    """The problems of a lesson body whose first line is line `first_line` of its file."""
    lines = body.split("\n")
    tokens = _parser().parse(body)
    found: list[Found] = []
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        start, end = token.map
        for child in token.children or []:
            if child.type == "image":
                src, alt = str(child.attrGet("src") or ""), child.content
                line = first_line + _line_of(lines, start, end, src or "![")
                if not src.startswith("media/"):
                    found.append((line, f"image '{src}' must be in the course's media/ folder"))
                elif not (media / src.removeprefix("media/")).is_file():
                    found.append((line, f"image '{src}' not found in {media.name}/"))
                if not alt.strip():
                    found.append((line, f"image '{src}' needs alt text: ![description]({src})"))
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                line = first_line + _line_of(lines, start, end, f"]({href}" if href else "]()")
                if not href:
                    found.append((line, "link without a target: [text](address)"))
                elif href.startswith("media/") and \
                        not (media / href.removeprefix("media/")).is_file():
                    found.append((line, f"link to '{href}', which is not in {media.name}/"))
    found += [(first_line + index, message) for index, message in _tables(lines, tokens)]
    return sorted(found)
