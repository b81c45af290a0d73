"""The start page of trainers and administrators (GET /): every cohort they may manage with
its trainees, lessons read, essays waiting and certificates, and for administrators the figures
of all those cohorts together. A fixed number of queries whatever the number of cohorts: the
cohort list (reports.cohorts.cohorts_for), then one aggregate query per figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..models import Attempt, Certificate, Cohort, Enrolment, Lesson, LessonProgress, Module, Quiz
from ..models import User as UserModel
from ..models.types import utcnow
from ..reports.cohorts import cohorts_for


@dataclass(frozen=True)
class CohortCard:
    cohort: Cohort
    trainees: int
    lessons_percent: int | None  # lessons read, of every lesson for every trainee
    certified: int  # valid certificates of the cohort's trainees for its course
    issued_this_week: int
    waiting: int  # submitted attempts with an essay to grade


@dataclass(frozen=True)
class Figures:
    cohorts: int
    archived: int
    trainees: int
    certified: int
    issued_this_week: int
    waiting: int


@dataclass(frozen=True)
class StartPage:
    cards: list[CohortCard]
    archived: int  # archived cohorts left out of `cards`
    figures: Figures | None  # administrators only


def week_start(today: date, zone: str) -> datetime:
    """Monday 00:00 of this week in the app's time zone, in UTC."""
    monday = today - timedelta(days=today.weekday())
    return datetime.combine(monday, time.min, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _per_cohort(query: sa.Select[Any]) -> dict[int, Any]:
    return {row[0]: row[1:] for row in db.session.execute(query)}


def _enrolled_in(ids: list[int]) -> Any:
    return sa.and_(Enrolment.cohort_id.in_(ids), Cohort.id == Enrolment.cohort_id)


def _lessons(ids: list[int]) -> tuple[dict[int, int], dict[int, Any]]:
    live = sa.and_(Lesson.archived.is_(False), Module.archived.is_(False),
                   Module.id == Lesson.module_id)
    totals = dict(db.session.execute(
        sa.select(Cohort.id, sa.func.count(Lesson.id)).join(Lesson, Lesson.course_id ==
                                                           Cohort.course_id)
        .join(Module, live).where(Cohort.id.in_(ids)).group_by(Cohort.id)).all())
    read = _per_cohort(
        sa.select(Enrolment.cohort_id, sa.func.count())
        .select_from(LessonProgress)
        .join(Enrolment, Enrolment.user_id == LessonProgress.user_id)
        .join(Cohort, _enrolled_in(ids))
        .join(Lesson, sa.and_(Lesson.id == LessonProgress.lesson_id,
                              Lesson.course_id == Cohort.course_id))
        .join(Module, live).group_by(Enrolment.cohort_id))
    return totals, read


def _waiting(ids: list[int]) -> sa.Select[Any]:
    return (sa.select(Enrolment.cohort_id, Attempt.id).select_from(Attempt)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .join(Enrolment, Enrolment.user_id == Attempt.user_id)
            .join(Cohort, sa.and_(_enrolled_in(ids), Cohort.course_id == Quiz.course_id))
            .where(Attempt.status == "needs_grading"))


def _certificates(ids: list[int], now: datetime, since: datetime) -> sa.Select[Any]:
    valid = sa.and_(Certificate.status == "valid", sa.or_(Certificate.expires_at.is_(None),
                                                          Certificate.expires_at > now))
    this_week = sa.and_(Certificate.issued_at >= since, Certificate.status != "superseded")
    return (sa.select(Enrolment.cohort_id, Certificate.id, valid.label("valid"),
                      this_week.label("this_week")).select_from(Certificate)
            .join(Enrolment, Enrolment.user_id == Certificate.user_id)
            .join(Cohort, sa.and_(_enrolled_in(ids), Cohort.course_id == Certificate.course_id)))


def _cards(items: list[Any], now: datetime, since: datetime) -> list[CohortCard]:
    ids = [item.cohort.id for item in items]
    if not ids:
        return []
    totals, read = _lessons(ids)
    essays = _waiting(ids).subquery()
    waiting = _per_cohort(sa.select(essays.c.cohort_id, sa.func.count(sa.distinct(essays.c.id)))
                          .group_by(essays.c.cohort_id))
    held = _certificates(ids, now, since).subquery()
    certificates = _per_cohort(
        sa.select(held.c.cohort_id, sa.func.count().filter(held.c.valid),
                  sa.func.count().filter(held.c.this_week)).group_by(held.c.cohort_id))
    cards = []
    for item in items:
        cid, lessons = item.cohort.id, totals.get(item.cohort.id, 0)
        done = read.get(cid, (0,))[0]
        percent = round(100 * done / (lessons * item.trainees)) \
            if lessons and item.trainees else None
        valid, week = certificates.get(cid, (0, 0))
        cards.append(CohortCard(item.cohort, item.trainees, percent, valid, week,
                                waiting.get(cid, (0,))[0]))
    return cards


def _figures(cohorts: list[Cohort], now: datetime, since: datetime) -> Figures:
    """Everything in the cohorts the administrator sees, archived ones included, each trainee,
    certificate and attempt counted once however many cohorts it appears in."""
    ids = [c.id for c in cohorts] or [-1]
    held = _certificates(ids, now, since).subquery()
    waiting = _waiting(ids).subquery()
    row = db.session.execute(sa.select(
        sa.select(sa.func.count(sa.distinct(Enrolment.user_id)))
        .where(Enrolment.cohort_id.in_(ids)).scalar_subquery(),
        sa.select(sa.func.count(sa.distinct(held.c.id))).where(held.c.valid).scalar_subquery(),
        sa.select(sa.func.count(sa.distinct(held.c.id))).where(held.c.this_week)
        .scalar_subquery(),
        sa.select(sa.func.count(sa.distinct(waiting.c.id))).scalar_subquery())).one()
    archived = sum(c.archived for c in cohorts)
    return Figures(len(cohorts) - archived, archived, *row)


def start_page(user: UserModel, zone: str, with_archived: bool = False) -> StartPage:
    items = cohorts_for(user)
    now = utcnow()
    since = week_start(now.astimezone(ZoneInfo(zone)).date(), zone)
    shown = [i for i in items if with_archived or not i.cohort.archived]
    figures = _figures([i.cohort for i in items], now, since) if user.is_admin else None
    return StartPage(_cards(shown, now, since), len(items) - len(shown), figures)
