"""When a reminder is due and who is behind: pure rules on plain data (notify/ applies them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

# A trainee is behind when the share of lessons read trails the share of the cohort's time
# gone by more than this.
BEHIND_MARGIN = 0.2


def effective_close(window_close: datetime | None, quiz_override: datetime | None,
                    course_override: datetime | None) -> datetime | None:
    """The close that holds for one trainee: an override of this quiz, else an override of
    every quiz of the course, else the cohort's window."""
    for candidate in (quiz_override, course_override, window_close):
        if candidate is not None:
            return candidate
    return None


def moment_due(deadline: datetime | None, now: datetime, days: int) -> bool:
    """A moment deadline (a quiz closing) falls within the next `days` days, not past."""
    return deadline is not None and now < deadline <= now + timedelta(days=days)


def day_due(last_day: date | None, today: date, days: int) -> bool:
    """A last day (a cohort's end, inclusive) is today or within the next `days` days."""
    return last_day is not None and today <= last_day <= today + timedelta(days=days)


def is_behind(lessons_read: int, lessons_total: int, starts_on: date | None,
              ends_on: date | None, today: date) -> bool:
    """Reading trails the calendar: the share of lessons read is below the share of the
    cohort's days gone by, less BEHIND_MARGIN. Without both dates nobody is behind."""
    if starts_on is None or ends_on is None or lessons_total <= 0 or today < starts_on:
        return False
    length = (ends_on - starts_on).days + 1
    elapsed = min((today - starts_on).days + 1, length) / length
    return lessons_read / lessons_total < elapsed - BEHIND_MARGIN


def week_ref(today: date) -> str:
    """The ISO week a digest belongs to: one digest per trainer and week."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"
