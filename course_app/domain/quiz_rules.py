"""What a quiz may hold and when a trainee may start it. Pure functions: every place that checks
a quiz (the file checker, the importers, the authoring forms, the attempt service) asks here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .questions import get_type


def is_manual(question_type: str) -> bool:
    """True for question types a trainer grades by hand (essays)."""
    return get_type(question_type).manual


def essays_in(question_types: Iterable[tuple[str, str]]) -> list[str]:
    """The keys of the hand-graded questions among (key, type) pairs, in order."""
    return [key for key, kind in question_types if is_manual(kind)]


def allows(required: bool, holds_essay: bool, capstone: bool = False) -> bool:
    """The rule: a required quiz holds no essay (no hand-graded question), because a
    certificate must not wait for a trainer by accident. Optional quizzes may hold essays.
    The one exception is a capstone: a required assignment whose every question is an essay
    graded by a rubric grid; the certificate then waits for it to be graded passing, by
    design (domain/completion.py)."""
    return not (required and holds_essay) or capstone


def is_capstone(questions: Iterable[tuple[str, Mapping[str, Any] | None]]) -> bool:
    """Is a quiz holding these (type, type_data) questions an assignment graded by rubric:
    at least one question, each an essay with a rubric grid (criteria)?"""
    found = list(questions)
    return bool(found) and all(is_manual(kind) and bool((data or {}).get("criteria"))
                               for kind, data in found)


def may_be_required(question_types: Iterable[str], capstone: bool = False) -> bool:
    """May a quiz holding questions of these types be required?"""
    return allows(True, any(is_manual(kind) for kind in question_types), capstone)


def may_hold_in(required: bool, question_type: str) -> bool:
    """May a question of this type be added to a quiz that is (or is not) required?"""
    return allows(required, is_manual(question_type))


def attempts_left(max_attempts: int | None, used: int) -> int | None:
    """Attempts the trainee may still start; None when the quiz sets no limit."""
    return None if max_attempts is None else max(0, max_attempts - used)


def is_open(archived: bool, max_attempts: int | None, used: int) -> bool:
    """May the trainee start another attempt? A quiz that is live and has attempts left."""
    left = attempts_left(max_attempts, used)
    return not archived and (left is None or left > 0)
