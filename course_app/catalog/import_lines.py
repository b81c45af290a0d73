"""Where each question of an imported GIFT or Aiken file starts, for errors that name their
line: the blocks are read one by one, as the parsers do (computed only when an error needs it)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..content.aiken import parse_aiken
from ..content.gift import parse_gift

_AIKEN_ANSWER = re.compile(r"ANSWER:")
_AIKEN_CHOICE = re.compile(r"[A-Z][).][ \t]?.*")


def line_finder(text: str, fmt: str) -> Callable[[int], int]:
    """line_of(index): the first line of the index-th question read (computed on demand)."""
    cache: list[int] = []

    def line_of(index: int) -> int:
        if not cache:
            cache.extend(_gift_lines(text) if fmt == "gift" else _aiken_lines(text))
        return cache[index] if index < len(cache) else 1

    return line_of


def _lines(text: str) -> list[str]:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _gift_lines(text: str) -> list[int]:
    """Each question's first line: GIFT blocks are read one by one, as the parser does."""
    starts: list[int] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate([*_lines(text), ""], 1):
        line = raw.strip()
        if not line and block:
            if parse_gift("\n".join(line for _, line in block)).questions:
                starts.append(block[0][0])
            block = []
        elif line and not line.startswith("//"):
            block.append((number, line))
    return starts


def _aiken_lines(text: str) -> list[int]:
    """Each question's first line: the text lines above the choices of an ANSWER line."""
    lines = [line.strip() for line in _lines(text)]
    starts, chunk_start = [], 0
    for index, line in enumerate(lines):
        if not _AIKEN_ANSWER.match(line):
            continue
        if parse_aiken("\n".join(lines[chunk_start:index + 1])).questions:
            starts.append(_aiken_start(lines, index) + 1)
        chunk_start = index + 1
    return starts


def _aiken_start(lines: list[str], answer: int) -> int:
    index = answer - 1
    while index > 0 and (not lines[index] or _AIKEN_CHOICE.fullmatch(lines[index])):
        index -= 1
    while index > 0 and lines[index - 1] and not _AIKEN_CHOICE.fullmatch(lines[index - 1]) \
            and not _AIKEN_ANSWER.match(lines[index - 1]):
        index -= 1
    return index
