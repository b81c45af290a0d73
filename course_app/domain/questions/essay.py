"""Essay: free text graded by a trainer against a rubric."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain import rubrics
from course_app.domain.questions._spec import Spec
from course_app.domain.questions.base import (
    MAX_ESSAY,
    Grade,
    QuestionType,
    ResponseError,
    SpecError,
    first_value,
)


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters holding a letter or digit
    (a lone dash or bullet is not a word)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def word_limit_problem(type_data: Mapping[str, Any], response: Any) -> str | None:
    """too_few_words | too_many_words for an answered essay outside its min_words..max_words
    (a blank essay has nothing to count: it may be submitted, and scores 0)."""
    if not isinstance(response, str) or not response.strip():
        return None
    count = count_words(response)
    low, high = type_data.get("min_words"), type_data.get("max_words")
    if low is not None and count < low:
        return "too_few_words"
    if high is not None and count > high:
        return "too_many_words"
    return None


def _word_limit(spec: Spec, raw: Mapping[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        spec.error((name,), f"{name} must be a whole number of at least 1")
        return None
    return value


class Essay(QuestionType):
    name = "essay"
    manual = True

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("rubric", "min_words", "max_words"), ())
        criteria: list[dict[str, Any]] = []
        if rubrics.is_grid(raw.get("rubric")):  # a grid of criteria and levels
            points = raw.get("points", 1)
            points = points if isinstance(points, int | float) and points >= 0 else 1
            rubric, criteria = rubrics.normalise_grid(spec, raw["rubric"], float(points))
        else:
            rubric = spec.text(raw.get("rubric"), ("rubric",), "rubric")
        low = _word_limit(spec, raw, "min_words")
        high = _word_limit(spec, raw, "max_words")
        if low is not None and high is not None and low > high:
            spec.error(("min_words",), f"min_words ({low}) is greater than max_words ({high})")
        data: dict[str, Any] = {"rubric": rubric, "min_words": low, "max_words": high}
        if criteria:
            data["criteria"] = criteria
        return ({} if spec.errors else data), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        result: dict[str, Any] = {"rubric": type_data["rubric"]}
        if type_data.get("criteria"):
            result["rubric"] = rubrics.grid_to_authoring(type_data["rubric"],
                                                         type_data["criteria"])
        for name in ("min_words", "max_words"):
            if type_data[name] is not None:
                result[name] = type_data[name]
        return result

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        value = first_value(fields, "")
        return value if value and value.strip() else None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        if not isinstance(response, str):
            raise ResponseError("too_long", "the answer must be text")
        if len(response) > MAX_ESSAY:
            raise ResponseError("too_long", f"the answer is longer than {MAX_ESSAY} characters")

    def grade(self, type_data: dict, response: Any) -> Grade:
        # Moodle: an essay left blank has nothing to grade, so it does not wait for a trainer.
        answered = isinstance(response, str) and bool(response.strip())
        return Grade(0.0, needs_manual=answered)

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return {"min_words": type_data["min_words"], "max_words": type_data["max_words"]}

    def correct_answer(self, type_data: dict) -> dict:
        answer: dict[str, Any] = {"rubric": dict(type_data["rubric"])}
        if type_data.get("criteria"):
            answer["criteria"] = type_data["criteria"]
        return answer
