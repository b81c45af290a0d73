"""Rubric grids for essays: criteria, each with levels (a label, a description and points). The
grader picks one level per criterion; the essay's score is the sum of the levels' points. Pure
functions: the essay type validates a grid here, the grader's form scores it here, the review
and the exports draw it from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .questions._spec import Spec, authoring_number

GRID_FIELDS = ("guide", "criteria")
CRITERION_FIELDS = ("key", "title", "levels")
LEVEL_FIELDS = ("key", "label", "text", "points")


def is_grid(value: Any) -> bool:
    """A `rubric` that is a grid ({criteria: […]}) rather than a grader's guide text."""
    return isinstance(value, Mapping) and "criteria" in value


def _level(spec: Spec, raw: Any, path: tuple[Any, ...], points: float) -> dict[str, Any] | None:
    if spec.mapping(raw, path, "a level") is None:
        return None
    spec.unknown_fields(raw, LEVEL_FIELDS, path)
    key = spec.key(raw.get("key"), (*path, "key"))
    label = spec.text(raw.get("label"), (*path, "label"), "label")
    text = spec.optional_text(raw, "text", path)
    value = spec.number(raw.get("points"), (*path, "points"), "points", low=0, high=points)
    if key is None or label is None or value is None:
        return None
    level: dict[str, Any] = {"key": key, "label": label, "points": value}
    if text:
        level["text"] = text
    return level


def _criterion(spec: Spec, raw: Any, path: tuple[Any, ...],
               points: float) -> dict[str, Any] | None:
    if spec.mapping(raw, path, "a criterion") is None:
        return None
    spec.unknown_fields(raw, CRITERION_FIELDS, path)
    key = spec.key(raw.get("key"), (*path, "key"))
    title = spec.text(raw.get("title"), (*path, "title"), "title")
    levels_raw = spec.list_of(raw.get("levels"), (*path, "levels"), "levels", 2) or []
    levels = [_level(spec, level, (*path, "levels", index), points)
              for index, level in enumerate(levels_raw)]
    _unique(spec, [lv["key"] if lv else None for lv in levels], (*path, "levels"))
    if key is None or title is None or not levels or None in levels:
        return None
    return {"key": key, "title": title, "levels": levels}


def _unique(spec: Spec, keys: list[str | None], path: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key is not None and key in seen:
            spec.error((*path, index, "key"), f"duplicate key {key!r}")
        if key is not None:
            seen.add(key)


def normalise_grid(spec: Spec, raw: Mapping[str, Any], points: float
                   ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """(the guide text, the criteria) of a `rubric: {guide: …, criteria: […]}`; errors go to
    `spec` at their path under `rubric`."""
    spec.unknown_fields(raw, GRID_FIELDS, ("rubric",))
    guide = spec.text(raw["guide"], ("rubric", "guide"), "guide") if raw.get("guide") else {}
    found = spec.list_of(raw.get("criteria"), ("rubric", "criteria"), "criteria", 1) or []
    criteria = [_criterion(spec, item, ("rubric", "criteria", index), points)
                for index, item in enumerate(found)]
    _unique(spec, [c["key"] if c else None for c in criteria], ("rubric", "criteria"))
    kept = [c for c in criteria if c]
    if kept and len(kept) == len(criteria) and max_points(kept) > points + 1e-9:
        spec.error(("rubric", "criteria"), f"the criteria's best levels add up to "
                                           f"{max_points(kept):g} points, more than the "
                                           f"question's {points:g}")
    return guide or {}, kept


def grid_to_authoring(guide: dict[str, str], criteria: list[dict[str, Any]]) -> dict[str, Any]:
    grid: dict[str, Any] = {}
    if guide:
        grid["guide"] = dict(guide)
    grid["criteria"] = [{"key": c["key"], "title": dict(c["title"]),
                         "levels": [{**level, "points": authoring_number(level["points"])}
                                    for level in c["levels"]]} for c in criteria]
    return grid


def max_points(criteria: list[dict[str, Any]]) -> float:
    return sum(max(level["points"] for level in c["levels"]) for c in criteria)


def score(criteria: list[dict[str, Any]], picked: Mapping[str, str]
          ) -> tuple[float | None, list[str]]:
    """(the sum of the picked levels' points, the keys of the criteria without a valid pick);
    the sum is None unless every criterion has one."""
    total, missing = 0.0, []
    for criterion in criteria:
        level = next((lv for lv in criterion["levels"]
                      if lv["key"] == picked.get(criterion["key"])), None)
        if level is None:
            missing.append(criterion["key"])
        else:
            total += level["points"]
    return (None if missing else total), missing


MAX_CRITERION_COMMENT = 2000  # a grader's comment on one criterion, in characters


def picks(stored: Mapping[str, Any] | None) -> dict[str, str]:
    """The level picked per criterion from an answer's `rubric_scores`: each criterion's entry
    is its level key, or {level, comment} when the grader commented on it."""
    levels: dict[str, str] = {}
    for criterion, entry in (stored or {}).items():
        level = entry.get("level") if isinstance(entry, Mapping) else entry
        if isinstance(level, str) and level:
            levels[criterion] = level
    return levels


def comments(stored: Mapping[str, Any] | None) -> dict[str, str]:
    """The grader's comment per criterion (only the criteria commented on)."""
    return {criterion: entry["comment"] for criterion, entry in (stored or {}).items()
            if isinstance(entry, Mapping) and entry.get("comment")}


def stored_scores(levels: Mapping[str, str], notes: Mapping[str, str]) -> dict[str, Any]:
    """What `rubric_scores` keeps: the level key, or {level, comment} with a comment."""
    return {criterion: {"level": level, "comment": notes[criterion]}
            if notes.get(criterion) else level for criterion, level in levels.items()}


def rubric_grid(question: Mapping[str, Any], answer: Any) -> list[dict[str, Any]] | None:
    """The essay's grid with the level picked per criterion (`chosen`, None when not graded
    yet) and the grader's comment on it (`comment`, None without one), from an attempt's
    snapshot of the question and its answer; None without a grid."""
    criteria = (question.get("type_data") or {}).get("criteria")
    if question.get("type") != "essay" or not criteria:
        return None
    stored = getattr(answer, "rubric_scores", None) if answer is not None else None
    picked, notes = picks(stored), comments(stored)
    return [{**criterion, "chosen": picked.get(criterion["key"]),
             "comment": notes.get(criterion["key"])} for criterion in criteria]
