"""Answers for seeded attempts: the stored response of a right (or wrong) answer per question
type, and the form fields a browser would post for it (see the CONTRACT's answer fields)."""

from __future__ import annotations

from typing import Any

Field = tuple[str, str]


def correct_response(kind: str, type_data: dict[str, Any]) -> Any:
    """The response, as the app stores it, that earns full marks (None for essays)."""
    if kind == "single":
        return next(c["key"] for c in type_data["choices"] if c["correct"])
    if kind == "multiple":
        return sorted(c["key"] for c in type_data["choices"] if c["correct"])
    if kind == "true_false":
        return "true" if type_data["answer"] else "false"
    if kind == "short":
        best = max(type_data["answers"], key=lambda a: a["credit"])
        return best["text"].replace("*", "")
    if kind == "numeric":
        best = max(type_data["answers"], key=lambda a: a["credit"])
        return _number(best["value"] if "value" in best else best["min"])
    if kind == "matching":
        return dict(type_data["correct"])
    if kind == "ordering":
        return {item["key"]: index for index, item in enumerate(type_data["items"], start=1)}
    return None  # essay: graded by a trainer


def wrong_response(kind: str, type_data: dict[str, Any]) -> Any:
    """A valid response that does not earn full marks (where the type allows one)."""
    if kind == "single":
        return next(c["key"] for c in type_data["choices"] if not c["correct"])
    if kind == "multiple":
        wrong = [c["key"] for c in type_data["choices"] if not c["correct"]]
        return sorted(wrong[:1]) or None
    if kind == "true_false":
        return "false" if type_data["answer"] else "true"
    if kind in ("short", "essay"):
        return "không biết"
    if kind == "numeric":
        return "-987654"
    if kind == "matching":
        keys = [option["key"] for option in type_data["options"]]
        return {item: keys[(keys.index(option) + 1) % len(keys)]
                for item, option in type_data["correct"].items()}
    if kind == "ordering":
        count = len(type_data["items"])
        return {item["key"]: count - index for index, item in enumerate(type_data["items"])}
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def form_fields(question_key: str, response: Any) -> list[Field]:
    """The posted fields for one response: q-<key> (repeated for several choices), or
    q-<key>-<item> for matching and ordering."""
    name = f"q-{question_key}"
    if response is None:
        return []
    if isinstance(response, list):
        return [(name, str(value)) for value in response]
    if isinstance(response, dict):
        return [(f"{name}-{item}", str(value)) for item, value in response.items()]
    return [(name, str(response))]


def attempt_form(questions: list[dict[str, Any]], right: bool = True) -> list[Field]:
    """The fields answering every question of an attempt snapshot."""
    choose = correct_response if right else wrong_response
    fields: list[Field] = []
    for question in questions:
        fields += form_fields(question["key"], choose(question["type"], question["type_data"]))
    return fields
