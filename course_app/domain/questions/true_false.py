"""True/false: the response is "true" or "false"."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._spec import Spec
from course_app.domain.questions.base import (
    Grade,
    QuestionType,
    ResponseError,
    SpecError,
    first_value,
)

CHOICES = (
    {"key": "true", "text": {"vi": "Đúng", "en": "True"}},
    {"key": "false", "text": {"vi": "Sai", "en": "False"}},
)


class TrueFalse(QuestionType):
    name = "true_false"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("answer", "feedback_true", "feedback_false"), ())
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            spec.error(("answer",), "a true/false question needs answer: true or answer: false")
        data: dict[str, Any] = {"answer": answer}
        for name in ("feedback_true", "feedback_false"):
            feedback = spec.optional_text(raw, name, ())
            if feedback is not None:
                data[name] = feedback
        return ({} if spec.errors else data), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        return copy.deepcopy(type_data)

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        return first_value(fields, "") or None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is not None and response not in ("true", "false"):
            raise ResponseError("unknown_choice", "the answer must be true or false")

    def grade(self, type_data: dict, response: Any) -> Grade:
        if response not in ("true", "false"):
            return Grade(0.0)
        feedback = type_data.get(f"feedback_{response}")
        right = (response == "true") == type_data["answer"]
        return Grade(1.0 if right else 0.0, feedback=(dict(feedback),) if feedback else ())

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return {"choices": [{"key": c["key"], "text": dict(c["text"])} for c in CHOICES]}

    def correct_answer(self, type_data: dict) -> dict:
        return {"choices": ["true" if type_data["answer"] else "false"]}
