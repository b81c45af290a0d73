"""Name search that ignores diacritics, case and word order: "nguyen thi hang" and "hằng nguyễn"
both find "Nguyễn Thị Hằng"; "duong" finds "Đường"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from . import names
from .text import fold

T = TypeVar("T")


def query_terms(query: str | None) -> list[str]:
    """The folded words of a search query (empty for a blank query)."""
    return fold(query or "").split()


def matches(terms: list[str], *texts: str | None) -> bool:
    """True when every term is the start of a word of one of the texts; no terms match all."""
    if not terms:
        return True
    words = fold(" ".join(t for t in texts if t)).split()
    return all(any(word.startswith(term) for word in words) for term in terms)


def search(items: Iterable[T], query: str | None, *fields: Callable[[T], str | None]) -> list[T]:
    """The items whose fields match the query, in their original order."""
    terms = query_terms(query)
    return [item for item in items if matches(terms, *(field(item) for field in fields))]


def vietnamese_name_key(name: str) -> tuple[object, ...]:
    """Sort key for Vietnamese lists (domain/names.py): by the given name (the last word), then
    the rest, in Vietnamese alphabetical order with tones secondary ("Dũng" before "Đức")."""
    return names.sort_key(name)
