"""What the cohort dashboard computes over every trainee: the summary, the completion funnel,
completion by unit and each quiz's score distribution."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.statistics import (
    Bin,
    FunnelStage,
    TraineeMilestones,
    completion_funnel,
    score_bins,
    share,
)
from ..domain.text import fold

if TYPE_CHECKING:
    from .service import TraineeRow


@dataclass(frozen=True)
class Summary:
    enrolled: int
    started: int
    completed: int
    certified: int
    average: float | None


@dataclass(frozen=True)
class UnitRow:
    unit: str | None
    enrolled: int
    completed: int
    percent: float


@dataclass(frozen=True)
class CohortFigures:
    """What the dashboard computes over every trainee."""
    summary: Summary
    funnel: list[FunnelStage]
    units: list[UnitRow]
    bins: dict[int, tuple[list[Bin], int]]  # quiz id -> score bins, grades counted

    @classmethod
    def of(cls, trainees: list[TraineeRow], quiz_ids: list[int]) -> CohortFigures:
        funnel = completion_funnel(TraineeMilestones(
            t.status.lessons_read == t.status.lessons_total,
            t.status.quizzes_passed == t.status.quizzes_total, t.certified)
            for t in trainees)
        bins = {}
        for quiz_id in quiz_ids:
            grades = [g for t in trainees if (g := t.quizzes[quiz_id].grade) is not None]
            bins[quiz_id] = (score_bins(grades), len(grades))
        return cls(_summary(trainees), funnel, _units(trainees), bins)


def _summary(trainees: list[TraineeRow]) -> Summary:
    averages = [t.status.average for t in trainees if t.status.average is not None]
    average = round(math.fsum(averages) / len(averages), 2) if averages else None
    return Summary(len(trainees), sum(t.started for t in trainees),
                   sum(t.status.complete for t in trainees), sum(t.certified for t in trainees),
                   average)


def _units(trainees: list[TraineeRow]) -> list[UnitRow]:
    groups: dict[str | None, list[TraineeRow]] = defaultdict(list)
    for trainee in trainees:
        groups[trainee.user.unit].append(trainee)
    rows = [UnitRow(unit, len(members), sum(m.status.complete for m in members),
                    share(sum(m.status.complete for m in members), len(members)))
            for unit, members in groups.items()]
    return sorted(rows, key=lambda r: (r.unit is None, fold(r.unit or ""), r.unit or ""))
