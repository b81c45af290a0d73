"""Reading the grading form: points and a comment per manually graded question."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from ..domain import rubrics
from ..domain.questions import get_type
from ..i18n import number
from .service import MAX_COMMENT, ManualGrade

REGRADE_CHOICES = ("snapshot", "current")


def _number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_grades(form: Mapping[str, str], questions: list[dict[str, Any]]) -> tuple[
        dict[str, ManualGrade], dict[str, str], dict[str, dict[str, Any]]]:
    """Grades by question key, errors by question key, and what was typed (to show again).

    Fields: points-<key> (a number, "," or "." as decimal mark) and comment-<key>. A question
    whose points are left empty is not graded now."""
    grades: dict[str, ManualGrade] = {}
    errors: dict[str, str] = {}
    posted: dict[str, dict[str, Any]] = {}
    for question in questions:
        if not get_type(question["type"]).manual:
            continue
        key, maximum = question["key"], question["points"]
        criteria = question["type_data"].get("criteria")
        if criteria:
            _parse_rubric(form, key, criteria, grades, errors, posted)
            continue
        raw = (form.get(f"points-{key}") or "").strip()
        comment = (form.get(f"comment-{key}") or "").strip() or None
        posted[key] = {"points": raw, "comment": comment}
        if not raw:
            if comment:
                errors[key] = _("Give the points for this answer as well as the comment.")
            continue
        value = _number(raw)
        if value is None:
            errors[key] = _("Enter the points as a number, for example 7 or 7,5.")
        elif not 0 <= value <= maximum:
            errors[key] = _("The points must be from 0 to %(max)s.", max=number(maximum))
        elif comment and len(comment) > MAX_COMMENT:
            errors[key] = _("The comment is too long (at most %(max)s characters).",
                            max=MAX_COMMENT)
        else:
            grades[key] = ManualGrade(round(value, 2), comment)
    return grades, errors, posted


def _parse_rubric(form: Mapping[str, str], key: str, criteria: list[dict[str, Any]],
                  grades: dict[str, ManualGrade], errors: dict[str, str],
                  posted: dict[str, dict[str, Any]]) -> None:
    """A rubric-graded essay: fields level-<key>-<criterion> (a level key each), an optional
    comment-<key>-<criterion> each, and comment-<key>; the points are the sum of the levels
    picked (domain/rubrics.py)."""
    picked = {c["key"]: form.get(f"level-{key}-{c['key']}") or "" for c in criteria}
    picked = {name: level for name, level in picked.items() if level}
    notes = {c["key"]: (form.get(f"comment-{key}-{c['key']}") or "").strip() for c in criteria}
    notes = {name: note for name, note in notes.items() if note}
    comment = (form.get(f"comment-{key}") or "").strip() or None
    posted[key] = {"levels": picked, "comment": comment, "comments": notes}
    if not picked:
        if comment or notes:
            errors[key] = _("Pick a level for every criterion as well as the comment.")
        return
    total, missing = rubrics.score(criteria, picked)
    if total is None:
        errors[key] = _("Pick a level for every criterion (%(count)s missing).",
                        count=len(missing))
    elif comment and len(comment) > MAX_COMMENT:
        errors[key] = _("The comment is too long (at most %(max)s characters).",
                        max=MAX_COMMENT)
    elif any(len(note) > rubrics.MAX_CRITERION_COMMENT for note in notes.values()):
        errors[key] = _("A criterion's comment is too long (at most %(max)s characters).",
                        max=rubrics.MAX_CRITERION_COMMENT)
    else:
        grades[key] = ManualGrade(round(total, 2), comment, rubrics.stored_scores(picked, notes))
