"""Numeric: a number within a tolerance of a value, or within a min..max range (inclusive)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from course_app.domain.numbers import read_number
from course_app.domain.questions._answers import (
    best_grade,
    credit_to_authoring,
    finish,
    need_full_credit,
)
from course_app.domain.questions._spec import Spec, authoring_number
from course_app.domain.questions.base import (
    MAX_TEXT,
    Grade,
    QuestionType,
    ResponseError,
    SpecError,
    first_value,
)

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def parse_number(text: str) -> float | None:
    """"3,5", "3.5", "-2", "1e3" -> float; None for anything else (inf, nan, 1.000,5, 1_0...).
    For quiz files and for responses stored as bare text before they were read in the
    trainee's language (domain/numbers.py)."""
    text = text.strip().replace("\u2212", "-")
    if len(text) > 100 or not _NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


def response_value(response: Any) -> float | None:
    """The number a stored response says: {"text", "value", "language"} as read_number read
    it when saved, or a bare text saved before."""
    if isinstance(response, dict):
        value = response.get("value")
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return float(value) if ok and math.isfinite(value) else None
    return parse_number(response) if isinstance(response, str) else None


def response_text(response: Any) -> str:
    """What the trainee typed."""
    if isinstance(response, dict):
        return str(response.get("text") or "")
    return response if isinstance(response, str) else ""


def _within(answer: dict, value: float) -> bool:
    if "value" in answer:
        slack = answer["tolerance"] + 1e-9 * max(1.0, abs(answer["value"]))
        return abs(value - answer["value"]) <= slack
    return answer["min"] <= value <= answer["max"]


def _read_answer(spec: Spec, entry: Any, index: int) -> dict | None:
    path = ("answers", index)
    item = spec.mapping(entry, path, "an answer")
    if item is None:
        return None
    if "value" in item:
        spec.unknown_fields(item, ("value", "tolerance", "credit", "feedback"), path)
        answer = {"value": spec.number(item["value"], (*path, "value"), "value"),
                  "tolerance": spec.number(item.get("tolerance", 0), (*path, "tolerance"),
                                           "tolerance", low=0)}
    elif "min" in item or "max" in item:
        spec.unknown_fields(item, ("min", "max", "credit", "feedback"), path)
        low = spec.number(item.get("min"), (*path, "min"), "min")
        high = spec.number(item.get("max"), (*path, "max"), "max")
        if low is not None and high is not None and low > high:
            spec.error(path, f"min ({low:g}) is greater than max ({high:g})")
        answer = {"min": low, "max": high}
    else:
        spec.error(path, "an answer needs either value (and tolerance) or min and max")
        return None
    return finish(spec, item, path, answer)


def _short_form(spec: Spec, raw: Mapping[str, Any]) -> list[dict]:
    """`answer:` with `tolerance:` is one full-credit answer."""
    if "answers" in raw:
        spec.error(("answers",), "give either answer (with tolerance) or answers, not both")
        return []
    value = spec.number(raw["answer"], ("answer",), "answer")
    tolerance = spec.number(raw.get("tolerance", 0), ("tolerance",), "tolerance", low=0)
    return [{"value": value, "tolerance": tolerance, "credit": 100.0}]


def _long_form(spec: Spec, raw: Mapping[str, Any]) -> list[dict]:
    if "tolerance" in raw:
        spec.error(("tolerance",), "tolerance goes with answer (or inside each of answers)")
    entries = spec.list_of(raw.get("answers"), ("answers",), "answers", 1) or []
    return [a for i, e in enumerate(entries) if (a := _read_answer(spec, e, i))]


class Numeric(QuestionType):
    name = "numeric"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("answer", "tolerance", "answers"), ())
        answers = _short_form(spec, raw) if "answer" in raw else _long_form(spec, raw)
        need_full_credit(spec, answers)
        return ({} if spec.errors else {"answers": answers}), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        answers = []
        for answer in type_data["answers"]:
            names = ("value", "tolerance") if "value" in answer else ("min", "max")
            fields = {name: authoring_number(answer[name]) for name in names}
            answers.append(credit_to_authoring(answer, fields))
        return {"answers": answers}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        return (first_value(fields, "") or "").strip() or None

    def read(self, response: Any, language: str) -> Any:
        if not isinstance(response, str):
            return response
        if len(response) > MAX_TEXT:
            return response  # refused as too long
        return {"text": response, "value": read_number(response, language).value,
                "language": language}

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        text = response.get("text") if isinstance(response, dict) else response
        if not isinstance(text, str):
            raise ResponseError("bad_number", "the answer must be text")
        if len(text) > MAX_TEXT:
            raise ResponseError("too_long", f"the answer is longer than {MAX_TEXT} characters")
        if response_value(response) is None:
            raise ResponseError("bad_number", "not a number")

    def grade(self, type_data: dict, response: Any) -> Grade:
        value = response_value(response)
        if value is None:
            return Grade(0.0)
        return best_grade(type_data["answers"], lambda a: _within(a, value))

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return {}

    def correct_answer(self, type_data: dict) -> dict:
        best = max(type_data["answers"], key=lambda a: a["credit"])
        names = ("value", "tolerance") if "value" in best else ("min", "max")
        return {name: best[name] for name in names}
