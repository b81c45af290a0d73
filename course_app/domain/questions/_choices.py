"""Choice lists shared by single- and multiple-choice questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._spec import Spec, with_feedback
from course_app.domain.questions.base import ResponseError
from course_app.domain.shuffle import shuffled

CHOICE_FIELDS = ("key", "text", "correct", "feedback")


def read_choices(spec: Spec, raw: Mapping[str, Any], extra: tuple[str, ...] = ()) -> list[dict]:
    """Validated choices {key, text, correct, feedback?} plus the raw `extra` fields when given."""
    entries = spec.list_of(raw.get("choices"), ("choices",), "choices", 2) or []
    choices: list[dict] = []
    for index, entry in enumerate(entries):
        path = ("choices", index)
        item = spec.mapping(entry, path, "a choice")
        if item is None:
            continue
        spec.unknown_fields(item, CHOICE_FIELDS + extra, path)
        choice = {
            "key": spec.key(item.get("key"), (*path, "key")),
            "text": spec.text(item.get("text"), (*path, "text")),
            "correct": spec.boolean(item, "correct", path, False),
        }
        with_feedback(choice, spec.optional_text(item, "feedback", path))
        choice.update({name: item[name] for name in extra if item.get(name) is not None})
        choices.append(choice)
    spec.unique_keys([(i, c["key"]) for i, c in enumerate(choices)], "choices")
    return choices


def choice_to_authoring(choice: dict) -> dict:
    """A canonical choice back in authoring form (weights are handled by the caller)."""
    result = {"key": choice["key"], "text": choice["text"], "correct": choice["correct"]}
    return with_feedback(result, choice.get("feedback"))


def present_choices(type_data: dict, seed: int, shuffle: bool) -> dict:
    """Keys and texts only, shuffled when asked."""
    choices = [{"key": c["key"], "text": dict(c["text"])} for c in type_data["choices"]]
    return {"choices": shuffled(choices, seed) if shuffle else choices}


def check_choice(type_data: dict, key: Any) -> None:
    """Raise ResponseError unless `key` is one of the question's choice keys."""
    if not isinstance(key, str):
        raise ResponseError("unknown_choice", "a choice key must be a string")
    if key not in {c["key"] for c in type_data["choices"]}:
        raise ResponseError("unknown_choice", f"no choice {key[:64]!r}")
