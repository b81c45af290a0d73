"""Deadlines that hold (domain/deadlines.py), as pure functions: cohort dates read in the app's
time zone, quiz windows that narrow them, overrides that only extend, the attempt's deadline
capped at the close, and the most open of a trainee's cohorts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from course_app.domain import deadlines as dl
from course_app.domain.deadlines import Dates, Extension, Rules

HCM = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 10:00 in Hồ Chí Minh City


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in Hồ Chí Minh City in December 2026, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=HCM).astimezone(UTC)


def test_cohort_dates_are_whole_days_in_the_app_time_zone():
    assert dl.cohort_opens(date(2026, 12, 1), HCM) == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert dl.cohort_closes(date(2026, 12, 10), HCM) == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    assert dl.cohort_opens(None, HCM) is None and dl.cohort_closes(None, HCM) is None
    # The same day in UTC would close seven hours later.
    assert dl.cohort_closes(date(2026, 12, 10), UTC) - dl.cohort_closes(
        date(2026, 12, 10), HCM) == timedelta(hours=7)


def test_no_dates_is_always_open_with_the_quiz_limits():
    rules = dl.effective(Dates(), [], 3, 30, HCM)
    assert rules == Rules(None, None, 3, 30, False)
    assert rules.phase(NOW) == "open"
    assert dl.start_refusal(rules, NOW, 2) is None
    assert dl.start_refusal(rules, NOW, 3) == dl.NO_ATTEMPTS_LEFT
    assert dl.unscheduled(None, 0) == Rules()


def test_before_the_start_and_after_the_end():
    upcoming = dl.effective(Dates(date(2026, 12, 8), date(2026, 12, 20)), [], None, None, HCM)
    assert upcoming.phase(NOW) == "upcoming"
    assert dl.start_refusal(upcoming, NOW, 0) == dl.NOT_OPEN_YET
    assert dl.start_refusal(upcoming, at(8, 0, 0), 0) is None  # 00:00 of the first day
    ended = dl.effective(Dates(date(2026, 12, 1), date(2026, 12, 6)), [], None, None, HCM)
    assert ended.phase(NOW) == "closed"
    assert dl.start_refusal(ended, NOW, 0) == dl.CLOSED
    assert dl.start_refusal(ended, at(6, 23, 59), 0) is None  # the last day is whole
    assert dl.start_refusal(ended, at(7, 0, 0), 0) == dl.CLOSED


def test_a_quiz_window_narrows_the_cohort():
    dates = Dates(date(2026, 12, 1), date(2026, 12, 31), at(5, 8), at(9, 17))
    rules = dl.effective(dates, [], None, None, HCM)
    assert (rules.opens_at, rules.closes_at) == (at(5, 8), at(9, 17))
    wide = Dates(date(2026, 12, 1), date(2026, 12, 8), at(1, 0), at(20, 0))
    assert dl.base_window(wide, HCM) == (at(1, 0), at(9, 0))  # the earlier close holds


def test_overrides_only_extend_and_the_more_generous_holds():
    dates = Dates(None, date(2026, 12, 6))
    later = Extension(at(12, 17), 1, 10)
    every = Extension(at(10, 17), 2, 0)
    rules = dl.effective(dates, [later, every], 3, 20, HCM)
    assert rules.closes_at == at(12, 17) and rules.max_attempts == 5
    assert rules.time_limit_minutes == 30 and rules.extended
    assert dl.start_refusal(rules, NOW, 4) is None  # a closed cohort, open for this trainee
    earlier = dl.effective(dates, [Extension(at(1, 0))], 3, None, HCM)
    assert earlier.closes_at == at(7, 0) and not earlier.extended  # never brought forward
    no_close = dl.effective(Dates(), [Extension(at(1, 0))], None, None, HCM)
    assert no_close.closes_at is None  # nothing to extend: no close appears
    untimed = dl.effective(Dates(), [Extension(None, 0, 15)], None, None, HCM)
    assert untimed.time_limit_minutes is None  # extra minutes extend a limit, never make one
    assert dl.merged([]) == Extension() and Extension().empty


def test_the_attempt_deadline_is_capped_at_the_close():
    rules = Rules(None, at(7, 10, 20), None, 30)
    assert dl.attempt_deadline(NOW, rules) == at(7, 10, 20)
    assert dl.attempt_deadline(NOW, Rules(None, at(8), None, 30)) == NOW + timedelta(minutes=30)
    assert dl.attempt_deadline(NOW, Rules(None, at(8))) == at(8)  # untimed: the close
    assert dl.attempt_deadline(NOW, Rules()) is None


def test_saving_follows_the_clock_with_its_grace():
    rules = Rules(None, at(7, 10, 20))
    deadline = dl.attempt_deadline(NOW, rules)
    assert dl.save_refusal(rules, deadline, at(7, 10, 20) + timedelta(seconds=60), 60) is None
    assert dl.save_refusal(rules, deadline, at(7, 10, 21) + timedelta(seconds=1), 60) == dl.CLOSED
    # An attempt whose deadline was set before the close moved earlier: the close holds.
    assert dl.save_refusal(rules, None, at(8), 60) == dl.CLOSED
    assert dl.save_refusal(Rules(at(8)), None, NOW, 60) == dl.NOT_OPEN_YET


def test_time_left():
    assert dl.time_left(Rules(None, at(7, 12)), NOW) == timedelta(hours=2)
    assert dl.time_left(Rules(None, at(7, 9)), NOW) == timedelta(0)
    assert dl.time_left(Rules(), NOW) is None


def test_the_most_open_of_two_cohorts():
    closed = Rules(None, at(6))
    open_soon_closing = Rules(None, at(8))
    open_late_closing = Rules(None, at(20))
    upcoming = Rules(at(9), at(30))
    assert dl.most_open([closed, open_soon_closing, open_late_closing], NOW) == open_late_closing
    assert dl.most_open([closed, upcoming], NOW) == upcoming
    assert dl.most_open([Rules(None, at(2)), closed], NOW) == closed
    assert dl.most_open([open_soon_closing, Rules()], NOW) == Rules()  # no close is the widest
    assert dl.most_open([], NOW) is None


def test_checking_an_override():
    assert dl.close_problem(at(6), at(7)) is None
    assert dl.close_problem(at(6), at(6)) == "not_later"
    assert dl.close_problem(at(6), at(5)) == "not_later"
    assert dl.close_problem(None, at(5)) == "nothing_closes"
    assert dl.close_problem(at(6), None) is None
    assert dl.attempts_needed([(3, 2), (None, 9)]) == 0
    assert dl.attempts_needed([(3, 5), (2, 3)]) == 2
    assert dl.attempts_needed([]) == 0
