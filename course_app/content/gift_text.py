"""The pieces of GIFT reading that every block uses: question keys from names, choice keys,
numbers, the codec that hides escaped control characters, and the context of one block."""


from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from course_app.domain.text import strip_marks

from .import_messages import Message

KEY_MAX = 60
FORMAT_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_VALID_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ESCAPABLE = "\\:#={}~n"
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def slug_key(name: str) -> str:
    """A question key from a name: ASCII letters, digits, _ and - (diacritics folded), ≤ 60."""
    name = name.strip()
    if _VALID_KEY.fullmatch(name):
        return name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", strip_marks(name))
    return re.sub(r"-{2,}", "-", slug).strip("-")[:KEY_MAX].rstrip("-")


class KeyMaker:
    """Unique question keys: the slug of the name, or q<position>; repeats get -2, -3…"""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.count = 0
        # The last number each base reached: the n-th question of a shared name starts there
        # instead of trying -2, -3… again (2,000 questions of one name: linear, not quadratic).
        self._reached: dict[str, int] = {}

    def make(self, name: str | None) -> str:
        self.count += 1
        base = slug_key(name or "") or f"q{self.count}"
        key, number = base, self._reached.get(base, 1)
        if number > 1:
            key = base[: KEY_MAX - len(f"-{number}")] + f"-{number}"
        while key in self.used:
            number += 1
            suffix = f"-{number}"
            key = base[: KEY_MAX - len(suffix)] + suffix
        self._reached[base] = number
        self.used.add(key)
        return key


def choice_key(index: int) -> str:
    """a, b, … z, aa, ab … for the choice at 0-based `index`."""
    key, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = "abcdefghijklmnopqrstuvwxyz"[rest] + key
    return key


def parse_number(text: str) -> int | float | None:
    """A finite number written with '.' as the decimal mark (int when written as one), or None."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    if re.fullmatch(r"[+-]?\d{1,300}", text):
        return int(text)
    value = float(text)
    return value if math.isfinite(value) else None


class Invalid(Exception):
    """The current block is not a valid question; the message says why."""

    def __init__(self, template: str, **params: Any) -> None:
        self.message = Message(template, params)
        super().__init__(self.message.text)


class Codec:
    """Swaps GIFT escapes for private-use characters absent from the file, and back."""

    def __init__(self, text: str) -> None:
        base = _free_base(set(text))
        self._encode = {ch: chr(base + i) for i, ch in enumerate(_ESCAPABLE)}
        self._decode = {base + i: "\n" if ch == "n" else ch for i, ch in enumerate(_ESCAPABLE)}

    def encode(self, text: str) -> str:
        return _ESCAPE.sub(lambda match: self._encode[match.group(1)], text)

    def decode(self, text: str) -> str:
        return text.translate(self._decode)


def _free_base(present: set[str]) -> int:
    size = len(_ESCAPABLE)
    for start, stop in ((0xE000, 0xF900), (0xF0000, 0xFFFFE), (0x100000, 0x10FFFE)):
        for base in range(start, stop - size, size):
            if not any(chr(base + i) in present for i in range(size)):
                return base
    return 0xE000  # unreachable in practice: the file would hold ~130,000 private-use characters


@dataclass
class Ctx:
    """What one block's parsing needs: the codec, and the warnings and text formats it meets."""

    codec: Codec
    notes: list[Message] = field(default_factory=list)
    formats: set[str] = field(default_factory=set)

    def note(self, template: str, **params: Any) -> None:
        self.notes.append(Message(template, params))

    def text(self, raw: str) -> str:
        """Unescaped text without its leading [format] marker (the format is remembered)."""
        raw = raw.strip()
        match = FORMAT_MARKER.match(raw)
        if match:
            self.formats.add(match.group(1))
            raw = raw[match.end():]
        return self.codec.decode(raw).strip()

    def plain(self, raw: str) -> str:
        return self.codec.decode(raw).strip()

    def with_feedback(self, raw: str) -> tuple[str, str]:
        text, _, feedback = raw.partition("#")
        return self.text(text), self.text(feedback)
