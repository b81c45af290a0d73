"""Answer lists with credits, shared by short-answer and numeric questions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from course_app.domain.questions._spec import Spec, authoring_number, with_feedback
from course_app.domain.questions.base import Grade

FULL = 100.0


def read_credit(spec: Spec, entry: Mapping[str, Any], path: tuple) -> float:
    """The credit of an answer in percent (default 100)."""
    if entry.get("credit") is None:
        return FULL
    credit = spec.number(entry["credit"], (*path, "credit"), "credit", 0, 100)
    return FULL if credit is None else credit


def finish(spec: Spec, entry: Mapping[str, Any], path: tuple, answer: dict) -> dict:
    """Add credit and feedback to a canonical answer."""
    answer["credit"] = read_credit(spec, entry, path)
    return with_feedback(answer, spec.optional_text(entry, "feedback", path))


def need_full_credit(spec: Spec, answers: list[dict]) -> None:
    if answers and not any(a["credit"] >= FULL for a in answers):
        spec.error(("answers",), "no answer gives full credit (100), so nobody can earn full marks")


def credit_to_authoring(answer: dict, fields: dict) -> dict:
    """Authoring form of one answer: its own fields, then credit and feedback."""
    fields["credit"] = authoring_number(answer["credit"])
    return with_feedback(fields, answer.get("feedback"))


def best_grade(answers: list[dict], matches: Callable[[dict], bool]) -> Grade:
    """Moodle: the matching answer with the highest credit (the first one on a tie)."""
    best: dict | None = None
    for answer in answers:
        if matches(answer) and (best is None or answer["credit"] > best["credit"]):
            best = answer
    if best is None:
        return Grade(0.0)
    feedback = (dict(best["feedback"]),) if "feedback" in best else ()
    return Grade(min(1.0, max(0.0, best["credit"] / FULL)), feedback=feedback)
