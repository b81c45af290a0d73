"""Matching: each prompt (item) is matched with one answer (option); distractors add options."""

from __future__ import annotations

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
from course_app.domain.shuffle import shuffle_avoiding, shuffled
from course_app.domain.text import fold


def _sort_key(text: dict[str, str]) -> tuple[str, str, str]:
    return fold(text["vi"]), text["vi"], text.get("en", "")


def _options(spec: Spec, pairs: list[dict], distractors: list[dict | None]) -> list[dict]:
    """The distinct answer texts, keyed o1..oN in the order of their folded Vietnamese text."""
    by_vi: dict[str, dict] = {}
    for index, pair in enumerate(pairs):
        text = pair["answer"]
        if text is not None and by_vi.setdefault(text["vi"], text) != text:
            spec.error(("pairs", index, "answer"), "two answers share the Vietnamese text "
                       f"{text['vi']!r} but not the English one")
    answers = set(by_vi)
    for index, text in enumerate(distractors):
        if text is None:
            continue
        if text["vi"] in by_vi:
            where = "an answer" if text["vi"] in answers else "another distractor"
            spec.error(("distractors", index), f"distractor {text['vi']!r} is already {where}")
        by_vi.setdefault(text["vi"], text)
    ordered = sorted(by_vi.values(), key=_sort_key)
    return [{"key": f"o{i}", "text": text} for i, text in enumerate(ordered, start=1)]


def _distractors(spec: Spec, raw: Mapping[str, Any]) -> list[dict | None]:
    value = raw.get("distractors")
    if value is None:
        return []
    if not isinstance(value, list):
        spec.error(("distractors",), "distractors must be a list of texts")
        return []
    return [spec.text(text, ("distractors", i), "distractor") for i, text in enumerate(value)]


class Matching(QuestionType):
    name = "matching"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("pairs", "distractors"), ())
        fields = {"prompt": "text", "answer": "answer"}
        pairs = read_items(spec, raw, "pairs", fields, 2)
        flag_duplicate_texts(spec, pairs, "pairs", "text", "prompt")
        options = _options(spec, pairs, _distractors(spec, raw))
        if pairs and len(options) < 2:
            spec.error(("pairs",), "a matching question needs at least 2 different answers")
        if spec.errors:
            return {}, spec.errors
        key_of = {option["text"]["vi"]: option["key"] for option in options}
        return {
            "items": [{"key": p["key"], "text": p["text"]} for p in pairs],
            "options": options,
            "correct": {p["key"]: key_of[p["answer"]["vi"]] for p in pairs},
        }, []

    def to_authoring(self, type_data: dict) -> dict:
        text_of = {o["key"]: o["text"] for o in type_data["options"]}
        used = set(type_data["correct"].values())
        pairs = [{"key": item["key"], "prompt": item["text"],
                  "answer": text_of[type_data["correct"][item["key"]]]}
                 for item in type_data["items"]]
        extra = [o["text"] for o in type_data["options"] if o["key"] not in used]
        return {"pairs": pairs, "distractors": extra}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        return parse_keyed_form(fields)

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        if not isinstance(response, Mapping):
            raise ResponseError("unknown_item", "a mapping of item keys to answer keys is expected")
        options = {o["key"] for o in type_data["options"]}
        for item, option in response.items():
            if item not in type_data["correct"]:
                raise ResponseError("unknown_item", f"no item {str(item)[:64]!r}")
            if not isinstance(option, str) or option not in options:
                raise ResponseError("unknown_choice", f"no answer {str(option)[:64]!r}")

    def grade(self, type_data: dict, response: Any) -> Grade:
        if not isinstance(response, Mapping):
            return Grade(0.0)
        correct = type_data["correct"]
        right = sum(1 for item, option in correct.items() if response.get(item) == option)
        return Grade(right / len(correct))

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        items = present_items(type_data["items"])
        if shuffle:
            items = shuffled(items, seed)
        correct = type_data["correct"]

        def lined_up(options: list[dict]) -> bool:
            pairs = zip(items, options, strict=False)
            return all(correct[item["key"]] == option["key"] for item, option in pairs)

        options = shuffle_avoiding(present_items(type_data["options"]), seed + 1, lined_up)
        return {"items": items, "options": options}

    def correct_answer(self, type_data: dict) -> dict:
        return {"pairs": dict(type_data["correct"])}
