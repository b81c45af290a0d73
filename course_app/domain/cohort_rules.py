"""The rules of a cohort's own fields, as pure functions: its slug (proposed from the name,
checked), its date range, which courses an organisation may run, and who may take a trainer
off a cohort."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from . import slugs
from .slugs import SLUG, SLUG_MAX

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
    """"Lớp Đà Nẵng 2025" -> "lop-da-nang-2025" (domain/slugs.py)."""
    return slugs.slug_from(name)


def propose_slug(name: str, taken: Callable[[str], bool]) -> str:
    """The slug of the name, unique and not one of the reserved words (domain/slugs.py)."""
    return slugs.propose(name, taken, reserved=RESERVED_SLUGS)


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
