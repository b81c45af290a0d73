"""What the question widgets (templates/quiz/_widgets.html) need computed in Python, and their
registration as template globals: the attempt page and the authors' previews use them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask_babel import gettext as _

from ..domain.numbers import read_number
from ..domain.questions.essay import count_words
from ..domain.questions.numeric import response_text
from . import forms
from .answer_errors import answer_error


@dataclass
class OrderRow:
    key: str
    text: dict[str, str]
    position: int | None  # None while the question is unanswered


def ordering_rows(q: Any) -> list[OrderRow]:
    """An ordering question's items in the trainee's order (the shown order until answered)."""
    items = q.shown["items"]
    response = q.response if isinstance(q.response, dict) else {}
    positions = [response.get(item["key"]) for item in items]
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in positions):
        return [OrderRow(item["key"], item["text"], None) for item in items]
    ranked = sorted(zip(positions, range(len(items)), items, strict=True))
    return [OrderRow(item["key"], item["text"], rank)
            for rank, (_, _, item) in enumerate(ranked, start=1)]


def other_version(q: Any) -> Any:
    """The question with the answer saved elsewhere, for a conflict's read-only copy."""
    return dataclasses.replace(q, response=q.other, error=None, conflict=False)


def typed_text(response: Any) -> str:
    """What the trainee typed into a short or numeric field (a numeric answer keeps its text)."""
    return response_text(response) if isinstance(response, dict) else (response or "")


def typed_number(response: Any) -> dict[str, str]:
    """What was typed, and the number as read when the other language reads it differently
    ("1.000"): the page shows it back ("You entered 1 000.")."""
    entered = ""
    if isinstance(response, dict):
        reading = read_number(response_text(response), str(response.get("language") or "vi"))
        entered = reading.shown if reading.ambiguous else ""
    return {"text": response_text(response), "entered": entered}


def written_words(q: Any) -> int:
    return count_words(q.response) if isinstance(q.response, str) else 0


def answer_error_text(code: str, q: Any) -> str:
    """The error's message; an essay's length names its limits and its count."""
    if code in ("too_few_words", "too_many_words") and isinstance(q.response, str):
        low, high = q.shown.get("min_words"), q.shown.get("max_words")
        return _("This answer has %(count)s words; it must have %(min)s to %(max)s words. "
                 "Shorten or complete it, then submit again.",
                 count=count_words(q.response), min=low or 0, max=high or "∞")
    return str(answer_error(code))


def answered_count(questions: Iterable[Any]) -> int:
    return sum(1 for q in questions if q.answered)


def init(bp: Blueprint) -> None:
    for function in (ordering_rows, other_version, answered_count, answer_error,
                     answer_error_text, typed_text, typed_number, written_words,
                     forms.answer_field, forms.move_value):
        bp.add_app_template_global(function)
