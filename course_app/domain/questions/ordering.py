"""Ordering: put the items in the right order; all-or-nothing, or partial credit by position."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._items import (
    flag_duplicate_texts,
    parse_keyed_form,
    present_items,
    read_items,
)
from course_app.domain.questions._spec import Spec
from course_app.domain.questions.base import Grade, QuestionType, ResponseError, SpecError
from course_app.domain.shuffle import shuffle_avoiding


def _natural(key: str) -> list[tuple[int, int | str]]:
    """"step10" sorts after "step9"."""
    parts = re.split(r"(\d+)", key.casefold())
    return [(1, int(part)) if part.isdigit() else (0, part) for part in parts if part]


def gives_order_away(keys: list[str]) -> bool:
    """True when the keys, in the right order, are already sorted (a, b, c / 1, 2, 10 ...)."""
    return any(keys == sorted(keys, key=sort_key)
               for sort_key in (str, str.casefold, _natural))


def _position(value: str) -> int | str:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else value


class Ordering(QuestionType):
    name = "ordering"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("items", "partial"), ())
        partial = spec.boolean(raw, "partial", (), False)
        items = read_items(spec, raw, "items", {"text": "text"}, 3)
        flag_duplicate_texts(spec, items, "items", "text", "text")
        keys = [item["key"] for item in items]
        if len(keys) >= 2 and None not in keys and gives_order_away(keys):
            spec.error(("items",), "the item keys are sorted in the right order and would give "
                                   "it away; use keys that do not follow the order")
        return ({} if spec.errors else {"items": items, "partial": partial}), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        items = [{"key": item["key"], "text": item["text"]} for item in type_data["items"]]
        return {"items": items, "partial": type_data["partial"]}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        values = parse_keyed_form(fields)
        return {item: _position(value) for item, value in values.items()} if values else None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        if not isinstance(response, Mapping):
            raise ResponseError("bad_position", "a mapping of item keys to positions is expected")
        keys = {item["key"] for item in type_data["items"]}
        for item, position in response.items():
            if item not in keys:
                raise ResponseError("unknown_item", f"no item {str(item)[:64]!r}")
            if isinstance(position, bool) or not isinstance(position, int) \
                    or not 1 <= position <= len(keys):
                raise ResponseError("bad_position", f"positions go from 1 to {len(keys)}")
        if len(set(response.values())) != len(response):
            raise ResponseError("duplicate", "two items were put at the same position")

    def grade(self, type_data: dict, response: Any) -> Grade:
        if not isinstance(response, Mapping):
            return Grade(0.0)
        keys = [item["key"] for item in type_data["items"]]
        right = sum(1 for index, key in enumerate(keys)
                    if _same_position(response.get(key), index + 1))
        if type_data["partial"]:
            return Grade(right / len(keys))
        return Grade(1.0 if right == len(keys) else 0.0)

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        items = present_items(type_data["items"])
        right = [item["key"] for item in items]
        order = shuffle_avoiding(items, seed, lambda order: [i["key"] for i in order] == right)
        return {"items": order}

    def correct_answer(self, type_data: dict) -> dict:
        return {"order": [item["key"] for item in type_data["items"]]}


def _same_position(position: Any, expected: int) -> bool:
    return not isinstance(position, bool) and isinstance(position, int) and position == expected
