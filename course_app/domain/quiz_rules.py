"""What a quiz may hold and when a trainee may start it. Pure functions: every place that checks
a quiz (the file checker, the importers, the authoring forms, the attempt service) asks here."""

from __future__ import annotations

from collections.abc import Iterable

from .questions import get_type


def is_manual(question_type: str) -> bool:
    """True for question types a trainer grades by hand (essays)."""
    return get_type(question_type).manual


def essays_in(question_types: Iterable[tuple[str, str]]) -> list[str]:
    """The keys of the hand-graded questions among (key, type) pairs, in order."""
    return [key for key, kind in question_types if is_manual(kind)]


def allows(required: bool, holds_essay: bool) -> bool:
    """The rule: a required quiz holds no essay (no hand-graded question), because a
    certificate must never wait for a trainer. Optional quizzes may hold essays."""
    return not (required and holds_essay)


def may_be_required(question_types: Iterable[str]) -> bool:
    """May a quiz holding questions of these types be required?"""
    return allows(True, any(is_manual(kind) for kind in question_types))


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
