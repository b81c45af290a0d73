"""Results: one row per scenario, ratios to hello-world, the goals of issue 10, the table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Throughput as a ratio of hello-world's: (floor, goal).
RATIO_GOALS: dict[str, tuple[float, float]] = {
    "lesson": (0.10, 0.35),
    "attempt": (0.08, 0.25),
    "submit": (0.04, 0.10),
    "dashboard": (0.01, 0.02),
}
PDF_GOAL_MS = (150.0, 60.0)  # server CPU ms per certificate: floor, goal
BURST_GOAL_S = (5.0, 2.0)  # time to the last answer: floor, goal
COLUMNS = ("database", "scenario", "req/s", "median ms", "p95 ms", "errors", "CPU ms/req",
           "× hello", "goal")


@dataclass
class Measure:
    scenario: str
    label: str
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    errors: int = 0
    cpu_ms: float | None = None
    ratio: float | None = None
    available: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def ratio(rps: float, hello_rps: float) -> float | None:
    """Throughput relative to hello-world's in the same run (None without a yardstick)."""
    if hello_rps <= 0:
        return None
    return round(rps / hello_rps, 4)


def apply_ratios(measures: list[Measure]) -> None:
    hello = next((m for m in measures if m.scenario == "hello"), None)
    for measure in measures:
        if hello is not None and measure.available and measure.scenario != "burst":
            measure.ratio = ratio(measure.rps, hello.rps)


def _grade(value: float | None, floor: float, goal: float, higher_is_better: bool) -> str:
    if value is None:
        return ""
    meets = (lambda limit: value >= limit) if higher_is_better else (lambda limit: value < limit)
    if meets(goal):
        return "goal met"
    return "floor met" if meets(floor) else "BELOW FLOOR"


def verdict(measure: Measure) -> str:
    """How a measure stands against the issue's floor and goal ("" when it has none)."""
    if not measure.available:
        return ""
    if measure.scenario in RATIO_GOALS:
        floor, goal = RATIO_GOALS[measure.scenario]
        return _grade(measure.ratio, floor, goal, higher_is_better=True)
    if measure.scenario == "pdf":
        return _grade(measure.cpu_ms, *PDF_GOAL_MS, higher_is_better=False)
    if measure.scenario == "burst":
        last = measure.extra.get("last_answer_s")
        sound = measure.errors == 0 and measure.extra.get("graded") == measure.extra.get("users")
        return _grade(last, *BURST_GOAL_S, higher_is_better=False) if sound else "BELOW FLOOR"
    return ""


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def row(database: str, measure: Measure) -> list[str]:
    if not measure.available:
        return [database, measure.label, "not available", "", "", "", "", "", measure.note]
    goal = verdict(measure)
    if measure.scenario == "burst":
        extra = measure.extra
        goal = (f"last answer {extra['last_answer_s']:.2f} s, {extra['graded']}/{extra['users']}"
                f" graded: {goal}")
    cells = [database, measure.label, _number(measure.rps), _number(measure.p50_ms),
             _number(measure.p95_ms), str(measure.errors), _number(measure.cpu_ms),
             _number(measure.ratio, 3), goal]
    return cells


def table(rows: list[list[str]]) -> str:
    """A Markdown table, padded so that it also reads well in a terminal."""
    widths = [max(len(str(r[i])) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(list(COLUMNS)), rule, *(line(r) for r in rows)])


def as_json(measure: Measure) -> dict[str, Any]:
    data = asdict(measure)
    data["verdict"] = verdict(measure)
    return data
