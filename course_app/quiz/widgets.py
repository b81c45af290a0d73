"""What the question widgets (templates/quiz/_widgets.html) need computed in Python, and their
registration as template globals: the attempt page and the authors' previews use them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint

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


def answered_count(questions: Iterable[Any]) -> int:
    return sum(1 for q in questions if q.answered)


def init(bp: Blueprint) -> None:
    for function in (ordering_rows, other_version, answered_count, answer_error,
                     forms.answer_field, forms.move_value):
        bp.add_app_template_global(function)
