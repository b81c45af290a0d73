"""Cohort statistics, pure: Moodle's item analysis, score distributions and the completion funnel.

Item analysis follows Moodle's "Quiz statistics calculations": for each question, x is the
score on the question (as a fraction of its points) and X is the score on the rest of the test
(the attempt's points without that question, as Moodle takes it). Variances and
covariances are sample ones (divided by n - 1), as in Moodle; the correlation and the efficiency
do not depend on that choice. A value that cannot be computed (fewer than two responses, or no
spread) is None, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ATTEMPT_SELECTIONS = ("first", "highest", "last", "all")
LOW_EFFICIENCY = 15.0   # percent: discriminative efficiency under this is flagged
HARD_FACILITY = 20.0    # percent: facility under this is flagged (too hard, or a wrong key)
EASY_FACILITY = 95.0    # percent: facility over this is flagged (too easy to tell anyone apart)


@dataclass(frozen=True)
class ItemResponse:
    """One attempt's result on one question: the fraction of the question earned (0..1) and
    the score on the rest of the test (points, or any unit used for every attempt alike)."""

    fraction: float
    rest: float


@dataclass(frozen=True)
class ItemStatistics:
    count: int
    facility: float | None        # percent: mean score on the question
    sd: float | None              # percent of the question's points
    discrimination: float | None  # percent: correlation of x with the rest of the test
    efficiency: float | None      # percent: covariance over the greatest possible covariance
    flags: tuple[str, ...]        # "low_efficiency", "too_hard", "too_easy"


def mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance (n - 1); None for fewer than two pairs."""
    if len(xs) != len(ys):
        raise ValueError("covariance needs two sequences of the same length")
    n = len(xs)
    if n < 2:
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def variance(values: Sequence[float]) -> float | None:
    return covariance(values, values)


def max_covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The greatest covariance any pairing of these x and y values could reach: both sorted the
    same way (the rearrangement inequality). Moodle's C_max for discriminative efficiency."""
    return covariance(sorted(xs), sorted(ys))


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100.0


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 1e-12:
        return None
    return numerator / denominator


def item_statistics(responses: Iterable[ItemResponse]) -> ItemStatistics:
    """Facility, standard deviation, discrimination index and discriminative efficiency."""
    rows = list(responses)
    xs = [min(1.0, max(0.0, r.fraction)) for r in rows]
    rests = [r.rest for r in rows]
    var_x, var_rest, cov = variance(xs), variance(rests), covariance(xs, rests)
    spread = None if var_x is None or var_rest is None else math.sqrt(var_x * var_rest)
    facility = _percent(mean(xs))
    discrimination = _percent(_ratio(cov, spread))
    efficiency = _percent(_ratio(cov, max_covariance(xs, rests)))
    sd = _percent(math.sqrt(var_x)) if var_x is not None else None
    return ItemStatistics(len(rows), facility, sd, discrimination, efficiency,
                          flags_for(facility, efficiency))


def flags_for(facility: float | None, efficiency: float | None) -> tuple[str, ...]:
    flags = []
    if efficiency is not None and efficiency < LOW_EFFICIENCY:
        flags.append("low_efficiency")
    if facility is not None and facility < HARD_FACILITY:
        flags.append("too_hard")
    if facility is not None and facility > EASY_FACILITY:
        flags.append("too_easy")
    return tuple(flags)


@dataclass(frozen=True)
class AttemptScore:
    """A finished attempt, enough to pick which attempts the statistics use."""

    attempt_id: int
    user_id: int
    number: int
    percent: float


def select_attempts(attempts: Iterable[AttemptScore], selection: str) -> list[AttemptScore]:
    """Per trainee: the first, the highest (the earliest of equal ones), the last, or all."""
    if selection not in ATTEMPT_SELECTIONS:
        raise ValueError(f"unknown selection {selection!r} (use one of {ATTEMPT_SELECTIONS})")
    ordered = sorted(attempts, key=lambda a: (a.user_id, a.number))
    if selection == "all":
        return ordered
    chosen: dict[int, AttemptScore] = {}
    for attempt in ordered:
        current = chosen.get(attempt.user_id)
        if (current is None or selection == "last"
                or (selection == "highest" and attempt.percent > current.percent)):
            chosen[attempt.user_id] = attempt
    return sorted(chosen.values(), key=lambda a: (a.user_id, a.number))


@dataclass(frozen=True)
class Bin:
    low: float
    high: float   # inclusive for the last bin only
    count: int


def score_bins(percents: Iterable[float], width: int = 10) -> list[Bin]:
    """Counts of scores (0..100) in bins [0, w), [w, 2w), …, [100 - w, 100]."""
    if width <= 0 or 100 % width:
        raise ValueError("the bin width must divide 100")
    counts = [0] * (100 // width)
    for value in percents:
        clamped = min(100.0, max(0.0, float(value)))
        counts[min(len(counts) - 1, int(clamped // width))] += 1
    return [Bin(float(i * width), float((i + 1) * width), n) for i, n in enumerate(counts)]


@dataclass(frozen=True)
class TraineeMilestones:
    read_all: bool
    passed_quizzes: bool
    certified: bool


@dataclass(frozen=True)
class FunnelStage:
    name: str     # enrolled | read_all | passed_quizzes | certified
    count: int
    percent: float  # of the enrolled trainees; 0 when nobody is enrolled


FUNNEL_STAGES = ("enrolled", "read_all", "passed_quizzes", "certified")


def completion_funnel(trainees: Iterable[TraineeMilestones]) -> list[FunnelStage]:
    """Enrolled → read all lessons → passed the required quizzes → certified. Each stage counts
    the trainees who reached it and every stage before it, so the counts never grow."""
    counts = [0, 0, 0, 0]
    for t in trainees:
        reached = (True, t.read_all, t.read_all and t.passed_quizzes,
                   t.read_all and t.passed_quizzes and t.certified)
        for index, done in enumerate(reached):
            counts[index] += int(done)
    enrolled = counts[0]
    return [FunnelStage(name, n, round(n * 100.0 / enrolled, 1) if enrolled else 0.0)
            for name, n in zip(FUNNEL_STAGES, counts, strict=True)]


def share(part: int, whole: int) -> float:
    """part / whole in percent, one decimal; 0 when whole is 0."""
    return round(part * 100.0 / whole, 1) if whole else 0.0
