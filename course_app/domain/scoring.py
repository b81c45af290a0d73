"""Attempt scores and quiz grades (Moodle's grading methods)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

GRADING_METHODS = ("highest", "average", "first", "last")
_EPSILON = 1e-9


@dataclass(frozen=True)
class QuestionResult:
    """One graded question of an attempt: its points and the fraction earned."""

    points: float
    fraction: float
    needs_manual: bool = False


@dataclass(frozen=True)
class AttemptScore:
    raw: float           # points earned
    max: float           # points available
    percent: float       # 0..100, two decimals
    needs_grading: bool  # some question still waits for a trainer

    @property
    def status(self) -> str:
        """The status of the attempt this score closes."""
        return "needs_grading" if self.needs_grading else "finished"


def score_attempt(results: Sequence[QuestionResult]) -> AttemptScore:
    """Sum the points earned (fractions are clamped to 0..1) and the points available."""
    earned = math.fsum(r.points * min(1.0, max(0.0, r.fraction)) for r in results)
    available = math.fsum(r.points for r in results)
    percent = 0.0 if available <= 0 else min(100.0, max(0.0, round(earned / available * 100, 2)))
    return AttemptScore(
        raw=round(earned, 7),
        max=round(available, 7),
        percent=percent,
        needs_grading=any(r.needs_manual for r in results),
    )


def quiz_grade(method: str, percents: Sequence[float]) -> float | None:
    """The quiz grade from finished attempts' percentages, oldest first; None without attempts."""
    if method not in GRADING_METHODS:
        raise ValueError(f"unknown grading method {method!r} (use one of {GRADING_METHODS})")
    if not percents:
        return None
    if method == "highest":
        return max(percents)
    if method == "first":
        return percents[0]
    if method == "last":
        return percents[-1]
    return round(math.fsum(percents) / len(percents), 2)


def is_passed(percent: float | None, pass_score: float) -> bool:
    """Passed when the grade reaches the pass score (a missing grade never passes)."""
    return percent is not None and percent + _EPSILON >= pass_score
