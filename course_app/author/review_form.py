"""The quiz settings' review grid, as Moodle's: a checkbox per aspect (score, correctness,
right answers, explanations) and moment (immediately, after passing, after the last attempt,
after the cohort ends); no box ticked for an aspect means it is never shown."""

from __future__ import annotations

from typing import Any

from ..domain import review_options as review_rules

MOMENTS = tuple(m for m in review_rules.MOMENTS if m != "never")


def field(aspect: str, moment: str) -> str:
    return f"review-{aspect}-{moment}"


def values(data: dict[str, Any]) -> dict[str, str]:
    """The grid's form values from a quiz's data (`review` and `review_options`)."""
    options = review_rules.effective(data.get("review", "full"), data.get("review_options"))
    return {field(aspect, moment): "on" if moment in options[aspect] else ""
            for aspect in review_rules.ASPECTS for moment in MOMENTS}


GRID = "review-grid"  # a hidden field: the grid was on the page (no box ticked is a choice too)


def parse(posted: dict[str, str]) -> dict[str, Any]:
    """{"review": …, "review_options": …} from the posted grid; a form without the grid may
    post a shorthand as `review` (full, score)."""
    if GRID not in posted:
        shorthand = posted.get("review", "full")
        return {"review": shorthand if shorthand in review_rules.SHORTHANDS else "full",
                "review_options": None}
    options = {}
    for aspect in review_rules.ASPECTS:
        ticked = tuple(m for m in MOMENTS if posted.get(field(aspect, m)) == "on")
        options[aspect] = ticked or ("never",)
    review, stored = review_rules.to_storage(options)
    return {"review": review, "review_options": stored}
