"""The attempt clock: when a timed attempt must end, how long is left, and when it is over.

Pure functions of times (aware UTC datetimes) and numbers; the grace period is the
configuration's ATTEMPT_GRACE_SECONDS, passed in by the caller. An attempt without a time
limit has no deadline and is never over by the clock."""

from __future__ import annotations

from datetime import datetime, timedelta

# An attempt without a time limit counts for at most this long towards study time: a tab left
# open overnight is not study.
MAX_UNTIMED_MINUTES = 120


def deadline(started_at: datetime, time_limit_minutes: int | None) -> datetime | None:
    """When the time limit ends; None without a time limit."""
    if not time_limit_minutes:
        return None
    return started_at + timedelta(minutes=time_limit_minutes)


def closes_at(deadline_at: datetime | None, grace_seconds: float) -> datetime | None:
    """The last moment an answer is still taken: the deadline plus the grace period (for the
    request that the page sends as its countdown reaches zero)."""
    if deadline_at is None:
        return None
    return deadline_at + timedelta(seconds=grace_seconds)


def is_over(deadline_at: datetime | None, now: datetime, grace_seconds: float) -> bool:
    """True once the deadline and the grace period are past: the attempt takes no more answers
    and is to be closed with what was saved in time."""
    end = closes_at(deadline_at, grace_seconds)
    return end is not None and now > end


def overdue_since(now: datetime, grace_seconds: float) -> datetime:
    """Attempts whose deadline is earlier than this are over (for a query over many)."""
    return now - timedelta(seconds=grace_seconds)


def seconds_left(deadline_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the deadline (never below 0); None without a time limit."""
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - now).total_seconds()))


def minutes_spent(started_at: datetime, submitted_at: datetime,
                  time_limit_minutes: int | None) -> float:
    """The study time an attempt counts for: its duration, at most its time limit (or
    MAX_UNTIMED_MINUTES without one)."""
    spent = max(0.0, (submitted_at - started_at).total_seconds() / 60)
    return min(spent, time_limit_minutes or MAX_UNTIMED_MINUTES)
