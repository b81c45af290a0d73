"""One form per question type. Posted rows become the type's authoring mapping, which the type's
own normalise() validates; its SpecErrors are put back next to the fields they name."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import gettext as _

from ..content.gift_parse import choice_key
from ..domain import rubrics
from ..domain.questions import get_type
from ..domain.questions.ordering import gives_order_away
from .forms import NUMBER, Parsed, flag, number, show_number, text, text_values
from .messages import spec_message
from .rubric_form import grid_field, grid_values, raw_grid

# The rows of each type: list name -> its fields (text fields are translatable pairs).
LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "single": {"choices": ("key", "text*", "feedback*")},
    "multiple": {"choices": ("key", "text*", "feedback*", "weight", "correct")},
    "short": {"answers": ("text", "credit", "feedback*")},
    "numeric": {"answers": ("value", "tolerance", "min", "max", "credit", "feedback*")},
    "matching": {"pairs": ("key", "prompt*", "answer*"), "distractors": ("*",)},
    "ordering": {"items": ("key", "text*")},
    "essay": {}, "true_false": {},
}
BLANK_ROWS = 2
MAX_ROWS = 60


def row_fields(kind: str, list_name: str) -> tuple[str, ...]:
    return LISTS[kind][list_name]


def row_count(values: dict[str, str], list_name: str, minimum: int = 3) -> int:
    """Rows to show: those posted or saved, plus blank ones to add more without JavaScript."""
    used = [int(name.split("-")[1]) for name in values
            if name.startswith(list_name + "-") and name.split("-")[1].isdigit()]
    return min(MAX_ROWS, max(minimum, (max(used) + 1 + BLANK_ROWS) if used else minimum))


# Data -> form values ---------------------------------------------------------------------------

def question_values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {"points": show_number(data.get("points", 1))}
    text_values(values, "text", data.get("text"))
    text_values(values, "explanation", data.get("explanation"))
    kind = data["type"]
    authoring = get_type(kind).to_authoring(data["type_data"]) if data.get("type_data") else {}
    for list_name in LISTS[kind]:
        for index, entry in enumerate(authoring.get(list_name, [])):
            _row_values(values, f"{list_name}-{index}", entry)
    if kind == "single":
        values["correct"] = next((str(i) for i, c in enumerate(authoring.get("choices", []))
                                  if c.get("correct")), "")
    if kind == "essay" and rubrics.is_grid(authoring.get("rubric")):
        grid_values(values, authoring.pop("rubric"))  # rows of criteria and levels
    for name, value in authoring.items():
        if name in LISTS[kind]:
            continue
        if isinstance(value, bool):
            values[name] = ("true" if value else "false") if name == "answer" else \
                ("on" if value else "")
        elif isinstance(value, dict):
            text_values(values, name, value)
        else:
            values[name] = show_number(value) if value is not None else ""
    return values


def _row_values(values: dict[str, str], prefix: str, entry: Any) -> None:
    if not isinstance(entry, dict) or set(entry) <= {"vi", "en"}:
        text_values(values, prefix, entry)  # a distractor: a text of its own
        return
    for name, value in entry.items():
        field = f"{prefix}-{name}"
        if isinstance(value, dict):
            text_values(values, field, value)
        elif isinstance(value, bool):
            values[field] = "on" if value else ""
        elif isinstance(value, str):
            values[field] = value
        else:
            values[field] = show_number(value)


# Form values -> data ---------------------------------------------------------------------------

def _raw_number(raw: str) -> Any:
    """A number as normalise() expects it; text that is not a number is passed on for its
    message ("must be a number")."""
    raw = raw.strip()
    if not raw:
        return None
    if NUMBER.match(raw):
        value = float(raw.replace(",", "."))
        return int(value) if raw.lstrip("+-").isdigit() else value
    return raw


def _raw_text(values: dict[str, str], name: str) -> dict[str, str] | None:
    vi, en = values.get(f"{name}-vi", "").strip(), values.get(f"{name}-en", "").strip()
    if not vi and not en:
        return None
    return {"vi": vi, "en": en} if en else {"vi": vi}


def _rows(values: dict[str, str], kind: str, list_name: str) -> list[tuple[int, dict]]:
    """(form row, raw entry) for every non-blank row."""
    rows = []
    for index in range(row_count(values, list_name, 0)):
        prefix = f"{list_name}-{index}"
        entry: dict[str, Any] = {}
        for name in row_fields(kind, list_name):
            if name == "*":
                entry["*"] = _raw_text(values, prefix)
            elif name.endswith("*"):
                entry[name[:-1]] = _raw_text(values, f"{prefix}-{name[:-1]}")
            elif name == "correct":
                entry[name] = values.get(f"{prefix}-correct") == "on"
            elif name in ("key", "text"):
                entry[name] = values.get(f"{prefix}-{name}", "").strip() or None
            else:
                entry[name] = _raw_number(values.get(f"{prefix}-{name}", ""))
        if any(value not in (None, False) for value in entry.values()):
            rows.append((index, {k: v for k, v in entry.items() if v is not None}))
    return rows


def _fill_keys(entries: list[dict], make: Any) -> None:
    used = {entry["key"] for entry in entries if entry.get("key")}
    for entry in entries:
        if not entry.get("key"):
            entry["key"] = make(used)
            used.add(entry["key"])


def _next_letter(used: set[str]) -> str:
    return next(choice_key(i) for i in range(len(used) + 1) if choice_key(i) not in used)


def _random_key(used: set[str]) -> str:
    while True:
        key = "k" + secrets.token_hex(2)
        if key not in used:
            return key


def raw_question(values: dict[str, str], kind: str) -> tuple[dict[str, Any], dict]:
    """The authoring mapping of the posted form, and where each list entry came from."""
    raw: dict[str, Any] = {}
    origin: dict[str, list[int]] = {}
    for list_name in LISTS[kind]:
        rows = _rows(values, kind, list_name)
        origin[list_name] = [index for index, _ in rows]
        entries = [entry.get("*") if list_name == "distractors" else entry for _, entry in rows]
        raw[list_name] = entries
    if kind in ("single", "multiple"):
        _fill_keys(raw["choices"], _next_letter)
        if kind == "single":
            chosen = values.get("correct", "")
            for entry, index in zip(raw["choices"], origin["choices"], strict=True):
                entry["correct"] = chosen == str(index)
        else:
            raw["all_or_nothing"] = flag(Parsed(values), "all_or_nothing")
    elif kind == "matching":
        _fill_keys(raw["pairs"], lambda used: _next_numbered("p", used))
    elif kind == "ordering":
        _ordering_keys(raw["items"])
        raw["partial"] = flag(Parsed(values), "partial")
    _scalars(values, kind, raw)
    if kind == "essay" and rubrics.is_grid(raw.get("rubric")):
        origin["rubric"] = raw_grid(values)[1]  # type: ignore[assignment]
    return raw, origin


def _ordering_keys(items: list[dict]) -> None:
    """Random keys for new items, drawn again while they would give the order away."""
    blank = [item for item in items if not item.get("key")]
    for _attempt in range(50):
        _fill_keys(items, _random_key)
        if not blank or not gives_order_away([item["key"] for item in items]):
            return
        for item in blank:
            item.pop("key")


def _next_numbered(prefix: str, used: set[str]) -> str:
    return next(f"{prefix}{n}" for n in range(1, len(used) + 2) if f"{prefix}{n}" not in used)


def _scalars(values: dict[str, str], kind: str, raw: dict[str, Any]) -> None:
    if kind == "true_false":
        answer = values.get("answer")
        raw["answer"] = {"true": True, "false": False}.get(answer or "")
        for name in ("feedback_true", "feedback_false"):
            if _raw_text(values, name):
                raw[name] = _raw_text(values, name)
    elif kind == "short":
        raw["case_sensitive"] = flag(Parsed(values), "case_sensitive")
        raw["ignore_diacritics"] = flag(Parsed(values), "ignore_diacritics")
    elif kind == "essay":
        raw["rubric"] = _raw_text(values, "rubric")
        criteria = raw_grid(values)[0]
        if criteria:
            guide = raw["rubric"]
            raw["rubric"] = {**({"guide": guide} if guide else {}), "criteria": criteria}
        for name in ("min_words", "max_words"):
            value = _raw_number(values.get(name, ""))
            if value is not None:
                raw[name] = value


def _field(path: tuple, origin: dict[str, Any]) -> str:
    if path and path[0] == "rubric" and "rubric" in origin:
        return grid_field(path, origin["rubric"])
    parts = [str(part) for part in path]
    if len(path) >= 2 and path[0] in origin and isinstance(path[1], int):
        rows = origin[str(path[0])]
        parts[1] = str(rows[path[1]]) if path[1] < len(rows) else parts[1]
    return "-".join(parts)


def parse_question(values: dict[str, str], kind: str) -> Parsed:
    parsed = Parsed(values)
    question_text = text(parsed, "text")
    explanation = text(parsed, "explanation", required=False)
    points = number(parsed, "points", low=0, high=1000)
    raw, origin = raw_question(values, kind)
    if kind == "essay" and points is not None:
        raw["points"] = points  # the grid's best levels may not add up to more
    type_data, problems = get_type(kind).normalise(raw)
    for problem in problems:
        parsed.error(_field(problem.path, origin), spec_message(problem.message))
    parsed.data = {"type": kind, "text": question_text,
                   "points": float(1 if points is None else points),
                   "explanation": explanation, "type_data": type_data}
    if kind == "ordering" and not problems:
        values.update({f"items-{i}-key": entry["key"]
                       for i, entry in zip(origin["items"], raw["items"], strict=True)})
    if kind in ("single", "multiple") and not problems:
        values.update({f"choices-{i}-key": entry["key"]
                       for i, entry in zip(origin["choices"], raw["choices"], strict=True)})
    if problems and not parsed.errors.get(""):
        parsed.errors.setdefault("", []).append(_("Please correct the fields marked below."))
    return parsed
