"""The attempt form: how its fields are named, and the limits of what it may carry.

Only this module knows the names (CONTRACT.md "Answer fields"): `q-<question key>` for a
question's own value, `q-<question key>-<item key>` for each item of a matching or ordering
question. The domain reads one question's values as {"": [own values], item: [item values]}
(QuestionType.parse_fields); the widgets ask `answer_field` for a name.

Besides the answers, the attempt page posts `revision` (the attempt's revision the page was
built on) and `seen` (per question, a digest of the answer the page showed: domain/answer_merge),
so that a save from an older page never silently replaces answers saved since."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ANSWER_PREFIX = "q-"
REVISION_FIELD = "revision"
SEEN_FIELD = "seen"
KEEP_SAVED_FIELD = "keep_saved"  # a conflict's "keep the saved answer" button: the question key
MOVE_FIELD = "move"  # an ordering item's up/down button without JavaScript: "<key>:<item>:up"
ASK_FIELD = "ask"  # the Submit button: show the confirmation page first
CONFIRMED_FIELD = "confirmed"  # the confirmation (the page's final button, or app.js's dialog)

# Real needs: 100 questions of a dozen items at most, an essay of 10,000 characters (the
# domain's MAX_TEXT) in Vietnamese, percent-encoded (up to 9 bytes a letter). More is refused
# with 413 before anything is parsed or echoed back (issue 18 item 7).
MAX_BODY_BYTES = 1024 * 1024
MAX_FIELDS = 1500
MAX_VALUE_CHARS = 200_000  # a longer answer is the domain's "too long" (MAX_TEXT)


def answer_field(key: str, item: str | None = None) -> str:
    return f"{ANSWER_PREFIX}{key}" if item is None else f"{ANSWER_PREFIX}{key}-{item}"


def is_answer_field(name: str) -> bool:
    return name.startswith(ANSWER_PREFIX)


def too_large(form: Mapping[str, list[str]]) -> bool:
    """More fields or longer values than any real attempt page posts."""
    count = 0
    for values in form.values():
        count += len(values)
        if count > MAX_FIELDS or any(len(value) > MAX_VALUE_CHARS for value in values):
            return True
    return False


def _owner(name: str, keys: list[str]) -> tuple[str, str] | None:
    """(question key, item key or "") of an answer field; keys sorted longest first."""
    for key in keys:
        own = answer_field(key)
        if name == own:
            return key, ""
        if name.startswith(own + "-"):
            return key, name[len(own) + 1:]
    return None


@dataclass
class PostedAnswers:
    """An attempt form read by question: values by question key, then by item ("" for the
    question's own field); `unknown` answer fields that belong to no question of the attempt."""

    values: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    unknown: bool = False
    revision: int | None = None
    seen: dict[str, str] | None = None

    def fields_of(self, key: str) -> dict[str, list[str]]:
        return self.values.get(key, {})


def _revision(form: Mapping[str, list[str]]) -> int | None:
    raw = (form.get(REVISION_FIELD) or [""])[0]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def _seen(form: Mapping[str, list[str]]) -> dict[str, str] | None:
    raw = (form.get(SEEN_FIELD) or [""])[0]
    try:
        seen = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(seen, dict):
        return None
    return {str(k): str(v) for k, v in seen.items()}


def read_answers(form: Mapping[str, list[str]], keys: Iterable[str]) -> PostedAnswers:
    ordered = sorted(keys, key=len, reverse=True)
    posted = PostedAnswers(revision=_revision(form), seen=_seen(form))
    for name, values in form.items():
        if not is_answer_field(name):
            continue
        owner = _owner(name, ordered)
        if owner is None:
            posted.unknown = True
            continue
        key, item = owner
        posted.values.setdefault(key, {})[item] = list(values)
    return posted


def carries_answers(form: Mapping[str, list[str]]) -> bool:
    """True for the attempt page's form (and API clients posting answers), False for the
    confirmation page's final button, which sends no answers (they were saved on the way)."""
    return REVISION_FIELD in form or any(is_answer_field(name) for name in form)


def posted_fields(form: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """The fields a page must carry again (answers, revision, seen) to be posted later, as
    (name, value) pairs: the session-expired page re-sends them after signing in."""
    kept = [(name, value) for name, values in form.items()
            if is_answer_field(name) or name in (REVISION_FIELD, SEEN_FIELD)
            for value in values]
    return kept


def move_request(form: Mapping[str, list[str]]) -> tuple[str, str, str] | None:
    """(question key, item key, "up" or "down") of a no-JavaScript ordering button."""
    raw = (form.get(MOVE_FIELD) or [""])[0]
    parts = raw.rsplit(":", 1)
    if len(parts) != 2 or parts[1] not in ("up", "down", "keep") or ":" not in parts[0]:
        return None
    key, item = parts[0].split(":", 1)
    return key, item, parts[1]


def move_value(key: str, item: str, direction: str) -> str:
    return f"{key}:{item}:{direction}"


def current_order(form: Mapping[str, list[str]], key: str, items: list[str]) -> list[str]:
    """An ordering question's items in the posted order (the shown order where none is)."""
    def position(item: str) -> int:
        raw = (form.get(answer_field(key, item)) or [""])[0].strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else len(items) + 1

    shown = {item: index for index, item in enumerate(items)}
    return sorted(items, key=lambda item: (position(item), shown[item]))


def apply_move(form: Mapping[str, list[str]], key: str, item: str, direction: str,
               items: list[str]) -> dict[str, list[str]]:
    """The form with `item` of ordering question `key` moved one place up or down (or the
    shown order kept as the answer: "keep"), every item's position posted."""
    order = current_order(form, key, items)
    if item in order and direction in ("up", "down"):
        index = order.index(item)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    moved = dict(form)
    for position, name in enumerate(order, start=1):
        moved[answer_field(key, name)] = [str(position)]
    return moved
