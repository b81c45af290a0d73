"""The question snapshot of an attempt in progress, decoded once per process, with what is made
from it: how its questions are shown (the choices in the attempt's shuffled order) and each
question's HTML on the attempt page (`made`).

An attempt page decoded the JSON of its 20 questions on every view and worked out their
presentation again: a tenth of the page. While an attempt is in progress its snapshot never
changes (regrading refuses open attempts); after submission a regrade may write a new one, so
closed attempts are always decoded afresh and never served from here. Entries are keyed by the
attempt's id, seed and start time, so an id that SQLite hands out again after a deletion never
finds the old entry. Beyond MAX_ENTRIES, the least recently used entries go. What is kept is
shared between requests: callers read it and never change it."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from ..app_state import Lru, per_app

MAX_ENTRIES = 512
SHOWN = ("shown",)  # the slot of the questions' presentation (question keys are strings)
_EXTENSION = "course_app.attempt_snapshots"

Questions = list[dict[str, Any]]
T = TypeVar("T")


class SnapshotOwner(Protocol):
    """What this module reads of an attempt: a models.Attempt, or attempt_views.OpenAttempt."""
    id: int
    seed: int
    started_at: datetime
    status: str


@dataclass
class _Entry:
    questions: Questions
    # Per slot (a question's key, or SHOWN): the variant it was made for (language, response,
    # shuffle setting...) and what was made. One variant per slot: at most one page's worth.
    made: dict[Hashable, tuple[Any, Any]] = field(default_factory=dict)


def _store() -> Lru[_Entry]:
    return per_app(_EXTENSION, Lru)


def _key(attempt: SnapshotOwner) -> tuple[Any, ...]:
    return (attempt.id, attempt.seed, attempt.started_at)


def questions(attempt: SnapshotOwner, stored: str | Questions) -> Questions:
    """The attempt's snapshot from `stored`, its column as text (or already decoded)."""
    decode = (lambda: json.loads(stored)) if isinstance(stored, str) else (lambda: stored)
    if attempt.status != "in_progress":
        return decode()  # type: ignore[no-any-return]
    return _store().get_or_make(_key(attempt), lambda: _Entry(decode()), MAX_ENTRIES).questions


def made(attempt: SnapshotOwner, slot: Hashable, variant: Any, build: Callable[[], T]) -> T:
    """`build()` for `slot` of the open attempt, made again only when `variant` (everything
    else the result depends on) changes; closed attempts build every time."""
    found = _store().get(_key(attempt)) if attempt.status == "in_progress" else None
    if found is None:
        return build()
    kept = found.made.get(slot)
    if kept is not None and kept[0] == variant:
        return kept[1]  # type: ignore[no-any-return]
    value = build()
    found.made[slot] = (variant, value)
    return value
