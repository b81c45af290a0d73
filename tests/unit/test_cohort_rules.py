"""The pure rules of a cohort's fields (domain/cohort_rules.py)."""

from __future__ import annotations

from datetime import date

from course_app.domain import cohort_rules as rules


def test_slugs_are_proposed_from_vietnamese_names():
    assert rules.slug_from("Lớp Đà Nẵng 2025") == "lop-da-nang-2025"
    assert rules.slug_from("  Bồi dưỡng — khóa #1!  ") == "boi-duong-khoa-1"
    assert rules.slug_from("???") == ""
    taken = {"lop-1", "lop-1-2"}
    assert rules.propose_slug("Lớp 1", taken.__contains__) == "lop-1-3"
    assert rules.propose_slug("New", lambda _s: False) == "new-2"  # "new" is a page
    assert rules.propose_slug("a" * 150, {"a" * 100}.__contains__) == "a" * 98 + "-2"


def test_slug_problems():
    assert rules.slug_problem("lop-da-nang") is None
    assert rules.slug_problem("") == "slug_required"
    for bad in ("Lop", "lớp", "lop--1", "-lop", "lop_1", "a" * 101):
        assert rules.slug_problem(bad) == "bad_slug", bad
    assert rules.slug_problem("new") == "reserved_slug"


def test_dates_offerings_and_the_last_trainer():
    assert rules.dates_problem(date(2025, 8, 2), date(2025, 8, 1)) == "bad_dates"
    assert rules.dates_problem(date(2025, 8, 1), date(2025, 8, 1)) is None
    assert rules.dates_problem(None, date(2025, 8, 1)) is None
    assert rules.offers(1, set(), any_offering=False)  # nothing set up: every course
    assert not rules.offers(1, set(), any_offering=True)
    assert rules.offers(1, {1}, any_offering=True) and not rules.offers(2, {1}, True)
    assert not rules.may_remove_trainer(False, 0) and rules.may_remove_trainer(False, 1)
    assert rules.may_remove_trainer(True, 0)
