"""Keyed item lists, shared by matching and ordering questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._spec import ITEM_KEY, Spec
from course_app.domain.questions.base import first_value


def read_items(spec: Spec, raw: Mapping[str, Any], list_name: str,
               fields: dict[str, str], minimum: int) -> list[dict]:
    """Entries {key, <fields>} of raw[list_name]; `fields` maps authoring name -> canonical name."""
    entries = spec.list_of(raw.get(list_name), (list_name,), list_name, minimum) or []
    items: list[dict] = []
    for index, entry in enumerate(entries):
        path = (list_name, index)
        item = spec.mapping(entry, path, f"an entry of {list_name}")
        if item is None:
            continue
        spec.unknown_fields(item, ("key", *fields), path)
        result = {"key": spec.key(item.get("key"), (*path, "key"), ITEM_KEY)}
        for name, canonical in fields.items():
            result[canonical] = spec.text(item.get(name), (*path, name), name)
        items.append(result)
    spec.unique_keys([(i, item["key"]) for i, item in enumerate(items)], list_name)
    return items


def flag_duplicate_texts(spec: Spec, items: list[dict], list_name: str, field: str,
                         name: str) -> None:
    """Two entries whose Vietnamese texts are the same cannot be told apart."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        text = item.get(field)
        if text is None:
            continue
        if text["vi"] in seen:
            spec.error((list_name, index, name), f"the same text appears twice: {text['vi']!r}")
        seen.add(text["vi"])


def parse_keyed_form(fields: Mapping[str, Any]) -> dict[str, str] | None:
    """A question's values by item key -> {item: value}; the question's own value (key "")
    and empty values are left out."""
    result: dict[str, str] = {}
    for item in fields:
        if not isinstance(item, str) or not item or not ITEM_KEY.fullmatch(item):
            continue
        value = first_value(fields, item)
        if value:
            result[item] = value.strip()
    return result or None


def present_items(items: list[dict], field: str = "text") -> list[dict]:
    """Keys and texts only."""
    return [{"key": item["key"], "text": dict(item[field])} for item in items]
