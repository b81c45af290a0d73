"""An essay's rubric grid in the question form, without JavaScript: a row per criterion
(grid-<i>-key, grid-<i>-title-vi/en) and under it a row per level (grid-<i>-<j>-key,
-label-vi/en, -text-vi/en, -points), plus blank rows to add more (saving with a blank row filled
in adds it and shows new blank rows). Blank rows are ignored; the grid is the YAML's shape
({guide?, criteria: [{key, title, levels: [{key, label, text?, points}]}]}) and the essay type
validates it (domain/rubrics.py), its errors put back beside the rows they name."""

from __future__ import annotations

from typing import Any

from .forms import NUMBER, show_number, text_values

MAX_CRITERIA = 20
MAX_LEVELS = 10
NEW_LEVELS = 3  # the blank levels of a new criterion


def _used(values: dict[str, str], prefix: str) -> list[int]:
    found = set()
    for name in values:
        if name.startswith(prefix):
            head = name[len(prefix):].split("-")[0]
            if head.isdigit() and values[name].strip():
                found.add(int(head))
    return sorted(found)


def criterion_rows(values: dict[str, str]) -> int:
    """Criteria rows to show: those used plus one blank one."""
    used = _used(values, "grid-")
    return min(MAX_CRITERIA, (used[-1] + 2) if used else 1)


def level_rows(values: dict[str, str], criterion: int) -> int:
    """Level rows to show under a criterion: those used plus one blank (three for a new one)."""
    used = _used(values, f"grid-{criterion}-")
    return min(MAX_LEVELS, (used[-1] + 2) if used else NEW_LEVELS)


def grid_values(values: dict[str, str], grid: dict[str, Any]) -> None:
    """The form values of a saved grid (the guide is the `rubric` text pair)."""
    text_values(values, "rubric", grid.get("guide"))
    for i, criterion in enumerate(grid.get("criteria") or []):
        values[f"grid-{i}-key"] = str(criterion.get("key", ""))
        text_values(values, f"grid-{i}-title", criterion.get("title"))
        for j, level in enumerate(criterion.get("levels") or []):
            prefix = f"grid-{i}-{j}"
            values[f"{prefix}-key"] = str(level.get("key", ""))
            text_values(values, f"{prefix}-label", level.get("label"))
            text_values(values, f"{prefix}-text", level.get("text"))
            points = level.get("points")
            values[f"{prefix}-points"] = "" if points is None else show_number(points)


def _text(values: dict[str, str], name: str) -> dict[str, str] | None:
    vi, en = values.get(f"{name}-vi", "").strip(), values.get(f"{name}-en", "").strip()
    if not vi and not en:
        return None
    return {"vi": vi, "en": en} if en else {"vi": vi}


def _points(raw: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    if NUMBER.match(raw):
        value = float(raw.replace(",", "."))
        return int(value) if raw.lstrip("+-").isdigit() else value
    return raw  # the essay type says it must be a number


def _level(values: dict[str, str], prefix: str) -> dict[str, Any] | None:
    level: dict[str, Any] = {"key": values.get(f"{prefix}-key", "").strip() or None,
                             "label": _text(values, f"{prefix}-label"),
                             "text": _text(values, f"{prefix}-text"),
                             "points": _points(values.get(f"{prefix}-points", ""))}
    if all(value is None for value in level.values()):
        return None
    return {name: value for name, value in level.items() if value is not None}


def raw_grid(values: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(the criteria as posted, blank rows left out; the form row of each criterion and of
    each of its levels)."""
    criteria: list[dict[str, Any]] = []
    origin: dict[str, Any] = {"rows": [], "levels": []}
    for i in range(criterion_rows(values)):
        levels, level_origin = [], []
        for j in range(level_rows(values, i)):
            level = _level(values, f"grid-{i}-{j}")
            if level is not None:
                levels.append(level)
                level_origin.append(j)
        criterion: dict[str, Any] = {"key": values.get(f"grid-{i}-key", "").strip() or None,
                                     "title": _text(values, f"grid-{i}-title"),
                                     "levels": levels}
        if criterion["key"] is None and criterion["title"] is None and not levels:
            continue
        criteria.append({name: value for name, value in criterion.items() if value is not None})
        origin["rows"].append(i)
        origin["levels"].append(level_origin)
    return criteria, origin


def grid_field(path: tuple[Any, ...], origin: dict[str, Any]) -> str:
    """The form field an error of the essay type at `path` (under `rubric`) belongs beside."""
    if len(path) < 2 or path[1] != "criteria":
        return "rubric"
    if len(path) < 3 or not isinstance(path[2], int) or path[2] >= len(origin["rows"]):
        return "grid"
    row, rest = origin["rows"][path[2]], list(path[3:])
    if len(rest) >= 2 and rest[0] == "levels" and isinstance(rest[1], int):
        rows = origin["levels"][path[2]]
        level = rows[rest[1]] if rest[1] < len(rows) else rest[1]
        return "-".join(["grid", str(row), str(level), *[str(part) for part in rest[2:]]])
    return "-".join(["grid", str(row), *[str(part) for part in rest]])
