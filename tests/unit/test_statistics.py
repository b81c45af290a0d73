"""Item analysis (Moodle's definitions), score bins and the completion funnel."""

from __future__ import annotations

import itertools
import math
import statistics as pystats

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_app.domain.search import matches, query_terms, search, vietnamese_name_key
from course_app.domain.statistics import (
    AttemptScore,
    ItemResponse,
    TraineeMilestones,
    completion_funnel,
    covariance,
    flags_for,
    item_statistics,
    max_covariance,
    mean,
    score_bins,
    select_attempts,
    share,
    variance,
)


def responses(pairs):
    return [ItemResponse(x, rest) for x, rest in pairs]


# --- small building blocks -------------------------------------------------------------------

def test_mean_of_nothing_is_none():
    assert mean([]) is None
    assert mean([1.0, 2.0, 4.0]) == pytest.approx(7 / 3)


def test_covariance_is_the_sample_covariance():
    assert covariance([1, 2, 3], [2, 4, 6]) == pytest.approx(2.0)  # (n - 1) in the denominator
    assert variance([1, 2, 3, 4]) == pytest.approx(pystats.variance([1, 2, 3, 4]))


def test_covariance_needs_two_pairs_of_equal_length():
    assert covariance([1.0], [2.0]) is None
    assert variance([]) is None
    with pytest.raises(ValueError):
        covariance([1, 2], [1])


def test_max_covariance_sorts_both_sides():
    # Reversed pairing has negative covariance; the best pairing is sorted against sorted.
    assert covariance([0, 1, 2], [2, 1, 0]) == pytest.approx(-1.0)
    assert max_covariance([0, 1, 2], [2, 1, 0]) == pytest.approx(1.0)


# --- the item statistics, worked by hand -----------------------------------------------------

def test_a_question_the_strong_get_right_and_the_weak_wrong():
    stats = item_statistics(responses([(1, 0.9), (1, 0.8), (0, 0.3), (0, 0.2)]))
    assert stats.count == 4
    assert stats.facility == pytest.approx(50.0)
    assert stats.sd == pytest.approx(100 * math.sqrt(1 / 3))
    expected_r = pystats.correlation([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.2])
    assert stats.discrimination == pytest.approx(100 * expected_r)
    # The pairing is already the best possible one, so the efficiency is 100 %.
    assert stats.efficiency == pytest.approx(100.0)
    assert stats.flags == ()


def test_a_question_the_weak_get_right_is_negative_and_flagged():
    stats = item_statistics(responses([(0, 0.9), (0, 0.8), (1, 0.3), (1, 0.2)]))
    assert stats.discrimination < 0
    assert stats.efficiency == pytest.approx(-100.0)
    assert "low_efficiency" in stats.flags


def test_partial_credit_counts_as_a_fraction():
    stats = item_statistics(responses([(0.5, 0.5), (1.0, 1.0), (0.0, 0.0)]))
    assert stats.facility == pytest.approx(50.0)
    assert stats.discrimination == pytest.approx(100.0)


def test_everyone_right_has_no_discrimination_and_is_flagged_easy():
    stats = item_statistics(responses([(1, 0.2), (1, 0.5), (1, 0.9)]))
    assert stats.facility == pytest.approx(100.0)
    assert stats.sd == pytest.approx(0.0)
    assert stats.discrimination is None and stats.efficiency is None
    assert stats.flags == ("too_easy",)


def test_everyone_wrong_is_flagged_hard():
    stats = item_statistics(responses([(0, 0.2), (0, 0.5), (0, 0.9)]))
    assert stats.facility == 0.0
    assert stats.flags == ("too_hard",)


def test_no_spread_in_the_rest_of_the_test_gives_no_correlation():
    stats = item_statistics(responses([(0, 0.5), (1, 0.5), (1, 0.5)]))
    assert stats.discrimination is None and stats.efficiency is None
    assert stats.facility == pytest.approx(200 / 3)


def test_one_response_gives_facility_only():
    stats = item_statistics(responses([(1, 0.7)]))
    assert stats.count == 1 and stats.facility == 100.0
    assert stats.sd is None and stats.discrimination is None and stats.efficiency is None


def test_no_response_at_all():
    stats = item_statistics([])
    assert stats.count == 0
    assert stats.facility is None and stats.sd is None
    assert stats.flags == ()


def test_out_of_range_fractions_are_clamped():
    stats = item_statistics(responses([(1.5, 2.0), (-0.5, -1.0)]))
    assert stats.facility == pytest.approx(50.0)


@pytest.mark.parametrize(("facility", "efficiency", "flags"), [
    (50.0, 50.0, ()),
    (50.0, 14.9, ("low_efficiency",)),
    (50.0, 15.0, ()),
    (19.9, 50.0, ("too_hard",)),
    (20.0, 50.0, ()),
    (95.0, 50.0, ()),
    (95.1, 50.0, ("too_easy",)),
    (10.0, 5.0, ("low_efficiency", "too_hard")),
    (None, None, ()),
])
def test_flags_follow_the_thresholds(facility, efficiency, flags):
    assert flags_for(facility, efficiency) == flags


# --- property tests against an independent computation ----------------------------------------

fractions = st.floats(min_value=0, max_value=1, allow_nan=False)
pairs = st.lists(st.tuples(fractions, fractions), min_size=2, max_size=7)


def _brute_force_max_covariance(xs, ys):
    """The greatest covariance over every pairing of the y values with the x values."""
    return max(pystats.covariance(xs, list(p)) for p in itertools.permutations(ys))


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_statistics_match_python_statistics_module(data):
    xs, rests = [x for x, _ in data], [r for _, r in data]
    stats = item_statistics(responses(data))
    assert stats.facility == pytest.approx(100 * pystats.fmean(xs))
    assert stats.sd == pytest.approx(100 * pystats.stdev(xs), abs=1e-6)
    spread = pystats.variance(xs) * pystats.variance(rests)
    if spread > 1e-9:
        assert stats.discrimination == pytest.approx(
            100 * pystats.correlation(xs, rests), abs=1e-6)
        assert -100 - 1e-6 <= stats.discrimination <= 100 + 1e-6
    best = _brute_force_max_covariance(xs, rests)
    if best > 1e-9:
        assert stats.efficiency is not None
    if stats.efficiency is not None:
        assert best > 0
        assert stats.efficiency == pytest.approx(100 * pystats.covariance(xs, rests) / best,
                                                 abs=1e-6)
        assert stats.efficiency <= 100 + 1e-6
        # The efficiency is never smaller in size than the correlation (|r| <= |DE|).
        if stats.discrimination is not None:
            assert abs(stats.discrimination) <= abs(stats.efficiency) + 1e-6


@settings(max_examples=100, deadline=None)
@given(pairs)
def test_statistics_do_not_depend_on_the_order_of_attempts(data):
    assert item_statistics(responses(data)) == item_statistics(responses(reversed(data)))


# --- choosing attempts -----------------------------------------------------------------------

ATTEMPTS = [
    AttemptScore(10, user_id=1, number=1, percent=40.0),
    AttemptScore(11, user_id=1, number=2, percent=90.0),
    AttemptScore(12, user_id=1, number=3, percent=70.0),
    AttemptScore(20, user_id=2, number=1, percent=80.0),
    AttemptScore(21, user_id=2, number=2, percent=80.0),
]


@pytest.mark.parametrize(("selection", "ids"), [
    ("first", [10, 20]),
    ("last", [12, 21]),
    ("highest", [11, 20]),  # equal highest: the earlier attempt
    ("all", [10, 11, 12, 20, 21]),
])
def test_select_attempts(selection, ids):
    shuffled = [ATTEMPTS[i] for i in (4, 2, 0, 3, 1)]
    assert [a.attempt_id for a in select_attempts(shuffled, selection)] == ids


def test_select_attempts_refuses_an_unknown_selection():
    with pytest.raises(ValueError):
        select_attempts(ATTEMPTS, "average")
    assert select_attempts([], "first") == []


# --- score bins ------------------------------------------------------------------------------

def test_score_bins_cover_zero_to_hundred():
    bins = score_bins([0, 9.99, 10, 55, 99.9, 100, 100])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert (bins[0].low, bins[0].high, bins[-1].high) == (0.0, 10.0, 100.0)


def test_score_bins_clamp_and_accept_other_widths():
    bins = score_bins([-5, 120, 49, 50], width=25)
    assert [b.count for b in bins] == [1, 1, 1, 1]
    assert [b.low for b in bins] == [0.0, 25.0, 50.0, 75.0]


def test_score_bins_refuse_a_width_that_does_not_divide_100():
    with pytest.raises(ValueError):
        score_bins([50], width=30)
    with pytest.raises(ValueError):
        score_bins([50], width=0)


def test_score_bins_of_nothing_are_empty_bins():
    assert sum(b.count for b in score_bins([])) == 0


# --- completion funnel -----------------------------------------------------------------------

def test_funnel_counts_each_stage_and_never_grows():
    trainees = [
        TraineeMilestones(read_all=True, passed_quizzes=True, certified=True),
        TraineeMilestones(read_all=True, passed_quizzes=True, certified=False),
        TraineeMilestones(read_all=True, passed_quizzes=False, certified=False),
        TraineeMilestones(read_all=False, passed_quizzes=True, certified=False),
        # A certificate issued by hand without the lessons read stays out of the last stage.
        TraineeMilestones(read_all=False, passed_quizzes=False, certified=True),
    ]
    stages = completion_funnel(trainees)
    assert [s.name for s in stages] == ["enrolled", "read_all", "passed_quizzes", "certified"]
    assert [s.count for s in stages] == [5, 3, 2, 1]
    assert [s.percent for s in stages] == [100.0, 60.0, 40.0, 20.0]


def test_funnel_of_an_empty_cohort():
    stages = completion_funnel([])
    assert [(s.count, s.percent) for s in stages] == [(0, 0.0)] * 4


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=30))
def test_funnel_is_monotonic(flags):
    counts = [s.count for s in completion_funnel(TraineeMilestones(*f) for f in flags)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == len(flags)


def test_share():
    assert share(1, 3) == 33.3
    assert share(0, 0) == 0.0
    assert share(2, 2) == 100.0


@settings(max_examples=100, deadline=None)
@given(pairs, st.floats(min_value=0.5, max_value=50), st.floats(min_value=-10, max_value=10))
def test_the_unit_of_the_rest_of_the_test_does_not_matter(data, scale, shift):
    """Moodle takes the rest of the test in marks; a fraction or points give the same figures."""
    base = item_statistics(responses(data))
    scaled = item_statistics(responses((x, r * scale + shift) for x, r in data))
    for name in ("facility", "sd", "discrimination", "efficiency"):
        a, b = getattr(base, name), getattr(scaled, name)
        if a is not None and b is not None:  # a spread at the edge of rounding may vanish
            assert a == pytest.approx(b, abs=1e-6), name


# --- name search and order of the cohort lists (domain/search.py) -----------------------------

NAMES = ["Nguyễn Thị Hằng", "Trần Văn Đức", "Lê Hằng Nga", "Đường Quang Hà", "Phạm Hà"]


@pytest.mark.parametrize(("query", "expected"), [
    ("nguyen thi hang", ["Nguyễn Thị Hằng"]),
    ("NGUYỄN THỊ HẰNG", ["Nguyễn Thị Hằng"]),
    ("hang nguyen", ["Nguyễn Thị Hằng"]),          # any word order
    ("hang", ["Nguyễn Thị Hằng", "Lê Hằng Nga"]),
    ("duc", ["Trần Văn Đức"]),                      # đ folds to d
    ("duong", ["Đường Quang Hà"]),
    ("ha", ["Nguyễn Thị Hằng", "Lê Hằng Nga", "Đường Quang Hà", "Phạm Hà"]),  # word prefixes
    ("thi hang x", []),
    ("", NAMES),
    ("   ", NAMES),
])
def test_search_ignores_accents_case_and_order(query, expected):
    assert search(NAMES, query, lambda name: name) == expected


def test_search_looks_in_every_field():
    people = [("Lê An", "an@example.vn"), ("Vũ Bình", None)]
    found = search(people, "an@example", lambda p: p[0], lambda p: p[1])
    assert found == [("Lê An", "an@example.vn")]
    assert query_terms("  Hằng  Nga ") == ["hang", "nga"]
    assert matches([], None)


def test_vietnamese_lists_sort_by_given_name():
    ordered = sorted(["Trần Văn Đức", "Nguyễn Thị Hằng", "Lê An", "Phạm Hà", "Vũ Ha", "Phạm Ha",
                      "Phạm Tiến Dũng"], key=vietnamese_name_key)
    # đ is a letter after d, and a given name with its tone is one name (domain/names.py).
    assert ordered == ["Lê An", "Phạm Tiến Dũng", "Trần Văn Đức", "Phạm Ha", "Vũ Ha", "Phạm Hà",
                       "Nguyễn Thị Hằng"]
    assert vietnamese_name_key("") == vietnamese_name_key("  ")
