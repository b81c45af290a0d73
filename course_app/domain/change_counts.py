"""How much a publish changes, counted for people: paragraphs changed, added and removed between
two Markdown texts; questions added, removed and changed between two versions of a quiz. Pure
functions; the sentences ("lesson 2.3: 3 paragraphs changed") are made in author/summary.py."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BLANK_LINE = re.compile(r"\n[ \t]*\n")
FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Counts:
    changed: int = 0
    added: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def paragraphs(markdown: str | None) -> list[str]:
    """The blocks of a Markdown text (paragraphs, headings, lists, tables, images), split at
    blank lines; a fenced code block stays one block; spacing inside a block does not count."""
    text = (markdown or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    fenced: list[str] | None = None
    for part in BLANK_LINE.split(text):
        if fenced is not None:
            fenced.append(part)
            if any(FENCE.match(line.strip()) for line in part.split("\n")):
                blocks.append("\n\n".join(fenced))
                fenced = None
            continue
        fences = sum(1 for line in part.split("\n") if FENCE.match(line.strip()))
        if fences % 2:
            fenced = [part]
            continue
        block = " ".join(part.split())
        if block:
            blocks.append(block)
    if fenced is not None:
        blocks.append("\n\n".join(fenced))
    return blocks


def paragraph_changes(before: str | None, after: str | None) -> Counts:
    """Paragraphs changed, added and removed from `before` to `after`: a paragraph replaced by
    another in the same place counts as changed; the rest of a longer replacement as added or
    removed."""
    old, new = paragraphs(before), paragraphs(after)
    changed = added = removed = 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            common = min(i2 - i1, j2 - j1)
            changed += common
            removed += (i2 - i1) - common
            added += (j2 - j1) - common
        elif tag == "delete":
            removed += i2 - i1
        elif tag == "insert":
            added += j2 - j1
    return Counts(changed, added, removed)


def question_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Counts:
    """Questions (by key -> content) changed, added and removed between two quiz versions."""
    return Counts(changed=sum(1 for key in after if key in before and after[key] != before[key]),
                  added=sum(1 for key in after if key not in before),
                  removed=sum(1 for key in before if key not in after))
