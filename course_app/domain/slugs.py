"""Slugs and keys proposed from a title, as pure functions: "Lớp Đà Nẵng 2025" ->
"lop-da-nang-2025" (Vietnamese folded to ASCII, "Đ" -> "d", words joined by "-"), made unique
with "-2", "-3"… The same rule runs in static/js/slug.js while the title is typed; cohorts and
every authored item (course, module, lesson, quiz, question) use this one."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from .text import fold

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100
# A question key becomes part of answer field names: a few words of the question are enough.
KEY_MAX = 40


def slug_from(title: str, most: int = SLUG_MAX) -> str:
    """"Lớp Đà Nẵng 2025" -> "lop-da-nang-2025"; cut at a word boundary when longer than
    `most` (a single longer word is cut where it must be)."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    slug = ""
    for word in words:
        joined = f"{slug}-{word}" if slug else word
        if len(joined) > most:
            return slug or word[:most]
        slug = joined
    return slug


def propose(title: str, taken: Callable[[str], bool], most: int = SLUG_MAX,
            reserved: Collection[str] = ()) -> str:
    """The slug of the title, with "-2", "-3"… when it is taken or reserved; "" for a title
    without a letter or digit."""
    base = slug_from(title, most)
    if not base:
        return ""
    candidate, n = base, 1
    while candidate in reserved or taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[:most - len(suffix)].rstrip("-") + suffix
    return candidate
