"""What the trainee's pages show of their deadlines (dashboard, course page, quiz intro): one
query per page (dates.trainee_dates), then plain data for the templates
(templates/schedule/_deadlines.html)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_timedelta
from flask_babel import gettext as _

from ..domain import deadlines
from ..domain.deadlines import Rules
from ..i18n import local_date, local_datetime
from ..models.types import utcnow
from . import dates


@dataclass(frozen=True)
class Deadline:
    """One quiz's (or the class's) dates as the trainee reads them."""

    opens_at: datetime | None
    closes_at: datetime | None
    phase: str  # "upcoming", "open" or "closed"
    left: timedelta | None  # until the close, or until the opening when upcoming
    extended: bool = False
    max_attempts: int | None = None
    time_limit_minutes: int | None = None

    @property
    def dated(self) -> bool:
        return self.opens_at is not None or self.closes_at is not None


def deadline(rules: Rules, now: datetime) -> Deadline:
    phase = rules.phase(now)
    left = (rules.opens_at - now) if phase == "upcoming" and rules.opens_at else \
        deadlines.time_left(rules, now)
    return Deadline(rules.opens_at, rules.closes_at, phase, left, rules.extended,
                    rules.max_attempts, rules.time_limit_minutes)


@dataclass(frozen=True)
class CourseDeadlines:
    """A course's class dates and each quiz's deadline, for one trainee."""

    course: Deadline | None  # None: in no dated cohort of the course
    quizzes: dict[int, Deadline]

    def of(self, quiz_id: int) -> Deadline | None:
        return self.quizzes.get(quiz_id)

    def _own(self, found: Deadline) -> bool:
        """Dated otherwise than the class (a window, an override): worth a line of its own."""
        same = self.course is not None and (found.opens_at, found.closes_at) == (
            self.course.opens_at, self.course.closes_at)
        return found.dated and (found.extended or not same)

    def dated(self, quizzes: Sequence[Any]) -> list[tuple[Any, Deadline]]:
        """(quiz, deadline) for the quizzes dated otherwise than the class, soonest close
        first (the class's own dates are one line above them)."""
        found = [(q, self.quizzes[q.id]) for q in quizzes
                 if q.id in self.quizzes and self._own(self.quizzes[q.id])]
        far = datetime.max.replace(tzinfo=utcnow().tzinfo)
        return sorted(found, key=lambda pair: pair[1].closes_at or far)


def for_courses(user_id: int, quizzes_by_course: dict[int, Iterable[dates.QuizLike]],
                now: datetime | None = None) -> dict[int, CourseDeadlines]:
    """Every course's deadlines for the trainee: one query for all of them."""
    now = now or utcnow()
    found = dates.trainee_dates(user_id, quizzes_by_course)
    result = {}
    for course_id, quizzes in quizzes_by_course.items():
        window = found.course_window(course_id, now)
        course = None
        if window is not None and (window[0] or window[1]):
            course = deadline(Rules(window[0], window[1]), now)
        result[course_id] = CourseDeadlines(course, {q.id: deadline(found.rules(q, now), now)
                                                     for q in quizzes})
    return result


def for_course(user_id: int, course_id: int, quizzes: Iterable[dates.QuizLike],
               now: datetime | None = None) -> CourseDeadlines:
    return for_courses(user_id, {course_id: list(quizzes)}, now)[course_id]


def time_left_text(left: timedelta | None) -> str:
    """"3 days", "5 hours" in the reader's language."""
    if left is None:
        return ""
    # Days up to the close, never "1 week" (a trainee counts the days), then hours, minutes.
    unit = "day" if left >= timedelta(days=2) else \
        "hour" if left >= timedelta(hours=2) else "minute"
    return format_timedelta(left, granularity=unit, threshold=10**9, add_direction=False)


def _shown_moment(moment: datetime) -> datetime:
    """A close at 00:00 (the end of a cohort's last day) reads as 23:59 of that day."""
    local = moment.astimezone(dates.zone())
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return moment - timedelta(minutes=1)
    return moment


def deadline_dt(moment: datetime | None) -> str:
    """A close's date and time in the app's time zone and the reader's language."""
    return "" if moment is None else local_datetime(_shown_moment(moment))


def deadline_date(moment: datetime | None) -> str:
    """The calendar day a close falls on (a cohort closes at the end of its last day)."""
    return "" if moment is None else local_date(_shown_moment(moment))


def refusal_text(code: str, found: Deadline | Rules | None = None) -> str:
    """Why the trainee may not start (or save) now, with the date that decides."""
    opens = found.opens_at if found is not None else None
    closes = found.closes_at if found is not None else None
    if code == deadlines.NOT_OPEN_YET and opens is not None:
        return _("This quiz opens on %(when)s.", when=local_datetime(opens))
    if code == deadlines.NOT_OPEN_YET:
        return _("This quiz is not open yet.")
    if code == deadlines.CLOSED and closes is not None:
        return _("This quiz closed on %(when)s. Your submitted work stays available.",
                 when=deadline_dt(closes))
    if code == deadlines.CLOSED:
        return _("This quiz is closed.")
    return _("You have no attempts left for this quiz.")


def closed_while_open_text(closes_at: datetime | None) -> str:
    """An attempt in progress at the close: what the trainee reads on the review page."""
    if closes_at is None:
        return _("The time is up: the answers you saved have been submitted.")
    return _("The quiz closed on %(when)s: the answers you saved have been submitted.",
             when=deadline_dt(closes_at))
