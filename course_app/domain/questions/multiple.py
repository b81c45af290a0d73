"""Multiple choice: several correct choices, weighted (Moodle) or all-or-nothing grading."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._choices import (
    check_choice,
    choice_to_authoring,
    present_choices,
    read_choices,
)
from course_app.domain.questions._spec import Spec, authoring_number
from course_app.domain.questions.base import (
    Grade,
    QuestionType,
    ResponseError,
    SpecError,
    clamp,
    form_values,
)

_EPSILON = 1e-6


def _fill_weights(spec: Spec, choices: list[dict], all_or_nothing: bool) -> None:
    """Check explicit weights and fill in the defaults (percent of the question)."""
    correct = [c for c in choices if c["correct"]]
    given = {i: spec.number(c.pop("weight"), ("choices", i, "weight"), "weight", -100, 100)
             for i, c in enumerate(choices) if "weight" in c}
    if all_or_nothing and given:
        spec.error(("choices", min(given), "weight"), "weights cannot be combined with "
                   "all_or_nothing (all-or-nothing grading ignores them)")
    if not correct:
        return
    correct_given = [i for i, c in enumerate(choices) if c["correct"] and i in given]
    if correct_given and len(correct_given) != len(correct):
        spec.error(("choices",), "give a weight to every correct choice or to none of them")
    for index, choice in enumerate(choices):
        weight = given.get(index)
        if weight is None:
            weight = (100 if choice["correct"] else -100) / len(correct)
        elif choice["correct"] and weight <= 0:
            spec.error(("choices", index, "weight"), "a correct choice needs a positive weight")
        elif not choice["correct"] and weight > 0:
            spec.error(("choices", index, "weight"), "a wrong choice cannot have a positive weight")
        choice["weight"] = weight


def _check_total(spec: Spec, choices: list[dict]) -> None:
    total = sum(c["weight"] for c in choices if c.get("weight", 0) > 0)
    if total < 100 - _EPSILON:
        spec.error(("choices",), f"the weights of the correct choices add up to {total:g}%, "
                                 "so no answer can earn full marks (they must add up to 100%)")
    elif total > 100 + _EPSILON:
        spec.error(("choices",), f"the weights of the correct choices add up to {total:g}% "
                                 "(they must add up to 100%)")


class MultipleChoice(QuestionType):
    name = "multiple"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("choices", "all_or_nothing"), ())
        all_or_nothing = spec.boolean(raw, "all_or_nothing", (), False)
        choices = read_choices(spec, raw, extra=("weight",))
        if choices and not any(c["correct"] for c in choices):
            spec.error(("choices",), "a multiple-choice question needs at least one correct choice")
        _fill_weights(spec, choices, all_or_nothing)
        if not spec.errors:
            _check_total(spec, choices)
        if spec.errors:
            return {}, spec.errors
        return {"choices": choices, "all_or_nothing": all_or_nothing}, []

    def to_authoring(self, type_data: dict) -> dict:
        choices = []
        for choice in type_data["choices"]:
            entry = choice_to_authoring(choice)
            if not type_data["all_or_nothing"]:
                entry["weight"] = authoring_number(choice["weight"])
            choices.append(entry)
        return {"choices": choices, "all_or_nothing": type_data["all_or_nothing"]}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        keys = sorted({value for value in form_values(fields, "") if value})
        return keys or None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        if not isinstance(response, list):
            raise ResponseError("unknown_choice", "a list of choice keys is expected")
        for key in response:
            check_choice(type_data, key)
        if len(set(response)) != len(response):
            raise ResponseError("duplicate", "a choice was given more than once")

    def grade(self, type_data: dict, response: Any) -> Grade:
        if not isinstance(response, list | tuple):
            return Grade(0.0)
        chosen = {key for key in response if isinstance(key, str)}
        picked = [c for c in type_data["choices"] if c["key"] in chosen]
        feedback = tuple(dict(c["feedback"]) for c in picked if "feedback" in c)
        if type_data["all_or_nothing"]:
            right = {c["key"] for c in type_data["choices"] if c["correct"]}
            return Grade(1.0 if chosen & _keys(type_data) == right else 0.0, feedback=feedback)
        total = math.fsum(c["weight"] for c in picked) / 100
        return Grade(clamp(round(total, 7)), feedback=feedback)

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return present_choices(type_data, seed, shuffle)

    def correct_answer(self, type_data: dict) -> dict:
        return {"choices": [c["key"] for c in type_data["choices"] if c["correct"]]}


def _keys(type_data: dict) -> set[str]:
    return {c["key"] for c in type_data["choices"]}
