"""Short answer: text compared whole with accepted answers (`*` matches any run of characters)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain.questions._answers import (
    best_grade,
    credit_to_authoring,
    finish,
    need_full_credit,
)
from course_app.domain.questions._spec import Spec
from course_app.domain.questions.base import (
    MAX_TEXT,
    Grade,
    QuestionType,
    ResponseError,
    SpecError,
    first_value,
)
from course_app.domain.text import collapse_whitespace, strip_marks


def comparable(text: str, case_sensitive: bool, ignore_diacritics: bool) -> str:
    """The form in which a response and an accepted answer are compared."""
    text = collapse_whitespace(text)
    if ignore_diacritics:
        text = strip_marks(text)
    return text if case_sensitive else text.casefold()


def wildcard_match(pattern: str, text: str) -> bool:
    """Whole-string match where `*` is any run of characters; linear scans, no regex."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return text == pattern
    first, *middle, last = parts
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _read_answer(spec: Spec, entry: Any, index: int) -> dict | None:
    path = ("answers", index)
    item = spec.mapping(entry, path, "an answer")
    if item is None:
        return None
    spec.unknown_fields(item, ("text", "credit", "feedback"), path)
    text = item.get("text")
    if not isinstance(text, str) or not collapse_whitespace(text):
        spec.error((*path, "text"), "an answer needs a non-empty text "
                                    "(put quotes around numbers and yes/no)")
        text = ""
    return finish(spec, item, path, {"text": collapse_whitespace(text)})


class ShortAnswer(QuestionType):
    name = "short"
    manual = False

    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        spec = Spec(raw, self.name)
        spec.unknown_fields(raw, ("answers", "case_sensitive", "ignore_diacritics"), ())
        case_sensitive = spec.boolean(raw, "case_sensitive", (), False)
        ignore_diacritics = spec.boolean(raw, "ignore_diacritics", (), False)
        entries = spec.list_of(raw.get("answers"), ("answers",), "answers", 1) or []
        answers = [a for i, e in enumerate(entries) if (a := _read_answer(spec, e, i))]
        need_full_credit(spec, answers)
        seen: set[str] = set()
        for index, answer in enumerate(answers):
            # Variants that compare equal ("hoá"/"hóa") are harmless; the same text twice is a slip.
            if answer["text"] and answer["text"] in seen:
                spec.error(("answers", index, "text"), f"duplicate answer {answer['text']!r}")
            seen.add(answer["text"])
        data = {"answers": answers, "case_sensitive": case_sensitive,
                "ignore_diacritics": ignore_diacritics}
        return ({} if spec.errors else data), spec.errors

    def to_authoring(self, type_data: dict) -> dict:
        answers = [credit_to_authoring(a, {"text": a["text"]}) for a in type_data["answers"]]
        return {"answers": answers, "case_sensitive": type_data["case_sensitive"],
                "ignore_diacritics": type_data["ignore_diacritics"]}

    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        value = collapse_whitespace(first_value(fields, "") or "")
        return value or None

    def validate_response(self, type_data: dict, response: Any) -> None:
        if response is None:
            return
        if not isinstance(response, str):
            raise ResponseError("too_long", "the answer must be text")
        if len(response) > MAX_TEXT:
            raise ResponseError("too_long", f"the answer is longer than {MAX_TEXT} characters")

    def grade(self, type_data: dict, response: Any) -> Grade:
        if not isinstance(response, str) or len(response) > MAX_TEXT:
            return Grade(0.0)
        flags = (type_data["case_sensitive"], type_data["ignore_diacritics"])
        given = comparable(response, *flags)
        if not given:
            return Grade(0.0)
        return best_grade(type_data["answers"],
                          lambda a: wildcard_match(comparable(a["text"], *flags), given))

    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        return {}

    def correct_answer(self, type_data: dict) -> dict:
        full = [a["text"] for a in type_data["answers"] if a["credit"] >= 100]
        return {"answers": full}

