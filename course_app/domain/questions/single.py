"""Single choice: the trainee picks one choice; any correct choice earns full credit (usually
there is one; a Moodle GIFT question with several `=` answers has several)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._choices import (
    check_choice,
    choice_to_authoring,
    present_choices,
    read_choices,
)
from course_app.domain.questions._spec import Spec
from course_app.domain.questions.base import Grade, QuestionType, SpecError, first_value


class SingleChoice(QuestionType):
    name = "single"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("choices",), ())
        choices = read_choices(spec, raw)
        correct = sum(1 for c in choices if c["correct"])
        if choices and correct < 1:
            spec.error(("choices",), "a single-choice question needs at least one correct "
                                     f"choice (found {correct})")
        return ({} if spec.errors else {"choices": choices}), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        return {"choices": [choice_to_authoring(c) for c in type_data["choices"]]}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        return first_value(fields, "") or None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is not None:
            check_choice(type_data, response)

    def grade(self, type_data: dict, response: Any) -> Grade:
        for choice in type_data["choices"]:
            if choice["key"] == response:
                feedback = (dict(choice["feedback"]),) if "feedback" in choice else ()
                return Grade(1.0 if choice["correct"] else 0.0, feedback=feedback)
        return Grade(0.0)

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return present_choices(type_data, seed, shuffle)

    def correct_answer(self, type_data: dict) -> dict:
        return {"choices": [c["key"] for c in type_data["choices"] if c["correct"]]}
