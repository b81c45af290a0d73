"""The rules of a cohort's own fields, as pure functions: its slug (proposed from the name,
checked), its date range, which courses an organisation may run, and who may take a trainer
off a cohort."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date

from .text import fold

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100
# Words of the URLs under /reports/cohorts/ that a cohort's slug would hide.
RESERVED_SLUGS = frozenset({"new"})


def slug_problem(slug: str) -> str | None:
    """None for a usable slug; otherwise the error's code."""
    if not slug:
        return "slug_required"
    if len(slug) > SLUG_MAX or not SLUG.match(slug):
        return "bad_slug"
    if slug in RESERVED_SLUGS:
        return "reserved_slug"
    return None


def slug_from(name: str) -> str:
    """"Lớp Đà Nẵng 2025" -> "lop-da-nang-2025": folded to ASCII, words joined by "-"."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    return "-".join(words)[:SLUG_MAX].strip("-")


def propose_slug(name: str, taken: Callable[[str], bool]) -> str:
    """The slug of the name, with "-2", "-3"… when it is taken or reserved; "" for a name
    without a letter or digit."""
    base = slug_from(name)
    if not base:
        return ""
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


def dates_problem(starts: date | None, ends: date | None) -> str | None:
    if starts and ends and ends < starts:
        return "bad_dates"
    return None


def offers(course_id: int, offered: Collection[int], any_offering: bool) -> bool:
    """May an organisation that offers `offered` run a cohort of this course? While no
    organisation offers any course at all (a fresh install, offerings not set up yet), every
    course; once one offering exists, exactly the organisation's own offerings, so an
    organisation with none offers nothing."""
    return not any_offering or course_id in offered


def may_remove_trainer(actor_is_admin: bool, trainers_left: int) -> bool:
    """A cohort keeps at least one trainer, unless an administrator (who sees every cohort
    anyway) takes the last one off."""
    return actor_is_admin or trainers_left >= 1
