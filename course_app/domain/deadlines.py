"""Deadlines that hold: when a trainee may start a quiz, until when they may save, how many
attempts and how much time they have. Pure functions of plain data (aware datetimes, dates
read in the app's time zone, numbers); the schedule package loads the rows and the quiz
package asks here on every write path.

The rule, in Moodle's terms:

- a cohort's ``starts_on`` opens its quizzes at 00:00 of that day and its ``ends_on`` closes
  them at 24:00 of that day, in the app's time zone (Asia/Ho_Chi_Minh by default); no dates,
  always open;
- a quiz window (per cohort and quiz) narrows that: the later opening and the earlier close
  hold;
- a trainee's overrides (per quiz, or every quiz of the course) only extend: a later close, more
  attempts, more minutes; where two apply (the quiz's own and the one for every quiz), the more
  generous of each holds;
- an attempt's deadline is its time limit, capped at the close: the one attempt clock
  (domain/attempt_clock.py) then ends it, with what was saved, as it ends a timed attempt;
- a trainee in two cohorts of a course has the more open of their schedules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from . import attempt_clock

NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
NO_ATTEMPTS_LEFT = "no_attempts_left"


@dataclass(frozen=True)
class Dates:
    """One cohort's dates and its window for one quiz (None: not set)."""

    starts_on: date | None = None
    ends_on: date | None = None
    opens_at: datetime | None = None  # the quiz window, aware datetimes
    closes_at: datetime | None = None


@dataclass(frozen=True)
class Extension:
    """A trainee's override: a later close, more attempts, more minutes."""

    closes_at: datetime | None = None
    extra_attempts: int = 0
    extra_minutes: int = 0

    @property
    def empty(self) -> bool:
        return self.closes_at is None and not self.extra_attempts and not self.extra_minutes


@dataclass(frozen=True)
class Rules:
    """What holds for one trainee and one quiz."""

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_attempts: int | None = None
    time_limit_minutes: int | None = None
    extended: bool = False  # an override changed something

    def phase(self, now: datetime) -> str:
        """"upcoming", "open" or "closed"."""
        if self.opens_at is not None and now < self.opens_at:
            return "upcoming"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"


def day_start(day: date, zone: tzinfo) -> datetime:
    """00:00 of `day` in the app's time zone, as UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def cohort_opens(starts_on: date | None, zone: tzinfo) -> datetime | None:
    return None if starts_on is None else day_start(starts_on, zone)


def cohort_closes(ends_on: date | None, zone: tzinfo) -> datetime | None:
    """The end of the cohort's last day (the start of the next one)."""
    return None if ends_on is None else day_start(ends_on + timedelta(days=1), zone)


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None


def base_window(dates: Dates, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """(opens, closes) before any override: the cohort's dates narrowed by the quiz window."""
    return (_latest(cohort_opens(dates.starts_on, zone), dates.opens_at),
            _earliest(cohort_closes(dates.ends_on, zone), dates.closes_at))


def merged(extensions: Iterable[Extension]) -> Extension:
    """The more generous of each field among the overrides that apply."""
    found = list(extensions)
    return Extension(_latest(*(e.closes_at for e in found)),
                     max((e.extra_attempts for e in found), default=0),
                     max((e.extra_minutes for e in found), default=0))


def effective(dates: Dates, extensions: Iterable[Extension], max_attempts: int | None,
              time_limit_minutes: int | None, zone: tzinfo) -> Rules:
    """The rules for one trainee of one cohort and one quiz."""
    opens, base_close = base_window(dates, zone)
    extra = merged(extensions)
    closes = base_close
    if closes is not None and extra.closes_at is not None:
        closes = max(closes, extra.closes_at)  # an override never brings a close forward
    attempts = None if max_attempts is None else max_attempts + extra.extra_attempts
    minutes = None if not time_limit_minutes else time_limit_minutes + extra.extra_minutes
    changed = (closes, attempts, minutes) != (base_close, max_attempts, time_limit_minutes or None)
    return Rules(opens, closes, attempts, minutes, changed)


def unscheduled(max_attempts: int | None, time_limit_minutes: int | None) -> Rules:
    """The rules of someone in no cohort of the course (a trainer trying a quiz): the quiz's."""
    return Rules(None, None, max_attempts, time_limit_minutes or None)


def _rank(rules: Rules, now: datetime) -> tuple[int, float]:
    phase = rules.phase(now)
    if phase == "open":
        return (2, rules.closes_at.timestamp() if rules.closes_at else float("inf"))
    if phase == "upcoming":
        return (1, -rules.opens_at.timestamp() if rules.opens_at else 0.0)
    return (0, rules.closes_at.timestamp() if rules.closes_at else 0.0)


def most_open(candidates: Sequence[Rules], now: datetime) -> Rules | None:
    """Of a trainee's cohorts, the schedule that lets them do most: open now (the latest
    close), else the next to open, else the one that closed last."""
    return max(candidates, key=lambda r: _rank(r, now)) if candidates else None


def start_refusal(rules: Rules, now: datetime, used: int) -> str | None:
    """Why a new attempt may not start (None: it may)."""
    phase = rules.phase(now)
    if phase == "upcoming":
        return NOT_OPEN_YET
    if phase == "closed":
        return CLOSED
    if rules.max_attempts is not None and used >= rules.max_attempts:
        return NO_ATTEMPTS_LEFT
    return None


def attempt_deadline(started_at: datetime, rules: Rules) -> datetime | None:
    """The attempt's deadline: its time limit, capped at the close."""
    return _earliest(attempt_clock.deadline(started_at, rules.time_limit_minutes),
                     rules.closes_at)


def save_refusal(rules: Rules, deadline_at: datetime | None, now: datetime,
                 grace_seconds: float) -> str | None:
    """Why an answer to an attempt in progress may not be saved now (None: it may). Once the
    close is past, the attempt's deadline (capped at the close) is past too, and the attempt is
    closed with what was saved by the one close rule."""
    if rules.phase(now) == "upcoming":
        return NOT_OPEN_YET
    if attempt_clock.is_over(_earliest(deadline_at, rules.closes_at), now, grace_seconds):
        return CLOSED
    return None


def time_left(rules: Rules, now: datetime) -> timedelta | None:
    """Until the close (None without one); zero once closed."""
    if rules.closes_at is None:
        return None
    return max(timedelta(0), rules.closes_at - now)


# Checking an override (the office's form): it only extends, and never below what is used.
def close_problem(base_close: datetime | None, proposed: datetime | None) -> str | None:
    """A later close must be later than the close it extends."""
    if proposed is None:
        return None
    if base_close is None:
        return "nothing_closes"
    if proposed <= base_close:
        return "not_later"
    return None


def attempts_needed(limits_and_used: Iterable[tuple[int | None, int]]) -> int:
    """The fewest extra attempts that keep every quiz at or above what the trainee has used:
    (the quiz's max_attempts, attempts used) per quiz the override covers."""
    return max([0, *(used - limit for limit, used in limits_and_used if limit is not None)])
