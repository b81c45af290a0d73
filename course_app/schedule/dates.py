"""A trainee's dates, read in one query whatever the number of quizzes: the cohorts they are
in, those cohorts' quiz windows and the trainee's own overrides. The rules themselves are
domain/deadlines.py; this module only loads rows and hands them over as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from .. import database
from ..domain import deadlines
from ..domain.deadlines import Dates, Extension, Rules
from ..models import Cohort, Enrolment, Override, QuizWindow
from ..models.types import UTCDateTime, utcnow


class QuizLike(Protocol):
    id: int
    course_id: int
    max_attempts: int | None
    time_limit_minutes: int | None


def zone() -> tzinfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


@dataclass
class CohortDates:
    cohort_id: int
    course_id: int
    starts_on: date | None
    ends_on: date | None
    windows: dict[int, tuple[datetime | None, datetime | None]] = field(default_factory=dict)
    overrides: dict[int | None, Extension] = field(default_factory=dict)

    def dates(self, quiz_id: int) -> Dates:
        opens, closes = self.windows.get(quiz_id, (None, None))
        return Dates(self.starts_on, self.ends_on, opens, closes)

    def extensions(self, quiz_id: int) -> list[Extension]:
        return [e for key, e in self.overrides.items() if key in (None, quiz_id)]


@dataclass
class TraineeDates:
    """Everything that dates one trainee's quizzes, by course."""

    cohorts: list[CohortDates]

    def of_course(self, course_id: int) -> list[CohortDates]:
        return [c for c in self.cohorts if c.course_id == course_id]

    def rules(self, quiz: QuizLike, now: datetime | None = None) -> Rules:
        """The rules for `quiz` (domain/deadlines.py), the most open of the trainee's cohorts
        of its course; the quiz's own limits for someone in none."""
        mine = self.of_course(quiz.course_id)
        if not mine:
            return deadlines.unscheduled(quiz.max_attempts, quiz.time_limit_minutes)
        here = zone()
        candidates = [deadlines.effective(c.dates(quiz.id), c.extensions(quiz.id),
                                          quiz.max_attempts, quiz.time_limit_minutes, here)
                      for c in mine]
        return deadlines.most_open(candidates, now or utcnow()) or candidates[0]

    def course_window(self, course_id: int, now: datetime | None = None
                      ) -> tuple[datetime | None, datetime | None] | None:
        """The trainee's cohort dates for the course (the most open cohort), as times."""
        mine = self.of_course(course_id)
        if not mine:
            return None
        here = zone()
        candidates = [Rules(deadlines.cohort_opens(c.starts_on, here),
                            deadlines.cohort_closes(c.ends_on, here)) for c in mine]
        best = deadlines.most_open(candidates, now or utcnow()) or candidates[0]
        return best.opens_at, best.closes_at


_MY_COHORTS = (sa.select(Enrolment.cohort_id).join(Cohort, Cohort.id == Enrolment.cohort_id)
               .where(Enrolment.user_id == sa.bindparam("user"),
                      Cohort.course_id.in_(sa.bindparam("courses", expanding=True))))
_NO_DATE = sa.cast(sa.null(), sa.Date)
_NO_TIME = sa.cast(sa.null(), UTCDateTime)
_NO_INT = sa.cast(sa.null(), sa.Integer)
# "c": a cohort of the trainee (its dates); "w": a quiz window of one of those cohorts; "o":
# the trainee's override in one of them. One round trip for every page and write path.
_ROWS = sa.union_all(
    sa.select(sa.literal("c").label("kind"), Cohort.id.label("cohort"),
              Cohort.course_id.label("num"), Cohort.starts_on.label("day1"),
              Cohort.ends_on.label("day2"), _NO_TIME.label("at1"), _NO_TIME.label("at2"),
              _NO_INT.label("num2"), _NO_INT.label("num3"))
    .where(Cohort.id.in_(_MY_COHORTS)),
    sa.select(sa.literal("w"), QuizWindow.cohort_id, QuizWindow.quiz_id, _NO_DATE, _NO_DATE,
              QuizWindow.opens_at, QuizWindow.closes_at, _NO_INT, _NO_INT)
    .where(QuizWindow.cohort_id.in_(_MY_COHORTS)),
    sa.select(sa.literal("o"), Override.cohort_id, Override.quiz_id, _NO_DATE, _NO_DATE,
              _NO_TIME, Override.closes_at, Override.extra_attempts, Override.extra_minutes)
    .where(Override.user_id == sa.bindparam("user"), Override.cohort_id.in_(_MY_COHORTS)),
)


def trainee_dates(user_id: int, course_ids: Iterable[int]) -> TraineeDates:
    """The trainee's dates in these courses: one query (none without courses)."""
    ids = sorted(set(course_ids))
    if not ids:
        return TraineeDates([])
    rows = database.rows(_ROWS, {"user": user_id, "courses": ids}).all()
    cohorts = {row[1]: CohortDates(row[1], row[2], row[3], row[4])
               for row in rows if row[0] == "c"}
    for kind, cohort_id, quiz_id, _d1, _d2, at1, at2, extra, minutes in rows:
        found = cohorts.get(cohort_id)
        if found is None or kind == "c":
            continue
        if kind == "w":
            found.windows[quiz_id] = (at1, at2)
        else:
            found.overrides[quiz_id] = Extension(at2, extra or 0, minutes or 0)
    return TraineeDates(sorted(cohorts.values(), key=lambda c: c.cohort_id))


def rules_for(user_id: int, quiz: QuizLike, now: datetime | None = None) -> Rules:
    """The rules for one trainee and one quiz (one query)."""
    return trainee_dates(user_id, [quiz.course_id]).rules(quiz, now)
