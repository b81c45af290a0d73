"""The daily digest for trainers (issue 20: "a daily digest of essays awaiting grading"):
`flask notify digest`, run daily, enqueues one job per trainer who teaches an open cohort with
essays waiting for a grade and did not turn digests off; each job mails that trainer their
cohorts' figures (essays waiting, certificates issued in the last 7 days, trainees behind). A
trainer with nothing waiting gets nothing. One digest per trainer and local day
(notification_sent, ref = the date in COURSE_APP_TIMEZONE), however often the command runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import jobs, mail
from ..domain import notifications as rules
from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    Lesson,
    LessonProgress,
    Quiz,
    User,
    cohort_trainer,
)
from ..models.types import utcnow
from . import messages as outgoing
from . import preferences

KIND = "digest"
SUBJECT = _l("Essays waiting for your grade today")


@dataclass(frozen=True)
class CohortFigures:
    name: str
    slug: str
    course_title: dict[str, str]
    trainees: int
    essays_waiting: int
    new_certificates: int
    behind: int


def _today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _per_cohort(query: sa.Select[tuple[int, int]]) -> dict[int, int]:
    return {row[0]: row[1] for row in db.session.execute(query)}


def figures(trainer_id: int, now: datetime | None = None) -> list[CohortFigures]:
    """The open cohorts the trainer teaches, with their figures (seven queries in all)."""
    now = now or utcnow()
    cohorts = list(db.session.scalars(
        sa.select(Cohort).join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id)
        .where(cohort_trainer.c.user_id == trainer_id, Cohort.archived.is_(False))
        .order_by(Cohort.name, Cohort.id)))
    if not cohorts:
        return []
    ids = [c.id for c in cohorts]
    members = db.session.execute(
        sa.select(Enrolment.cohort_id, Enrolment.user_id).join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id.in_(ids), User.role == "trainee", User.active.is_(True))).all()
    course_of_cohort = Cohort.course_id == Quiz.course_id
    waiting = _per_cohort(
        sa.select(Enrolment.cohort_id, sa.func.count(Attempt.id))
        .join(Attempt, Attempt.user_id == Enrolment.user_id).join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(Enrolment.cohort_id.in_(ids), Attempt.status == "needs_grading", course_of_cohort)
        .group_by(Enrolment.cohort_id))
    issued = _per_cohort(
        sa.select(Enrolment.cohort_id, sa.func.count(Certificate.id))
        .join(Certificate, Certificate.user_id == Enrolment.user_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(Enrolment.cohort_id.in_(ids), Certificate.course_id == Cohort.course_id,
               Certificate.status == "valid", Certificate.issued_at >= now - timedelta(days=7))
        .group_by(Enrolment.cohort_id))
    user_ids = {m.user_id for m in members}
    certified = {(r.user_id, r.course_id) for r in db.session.execute(
        sa.select(Certificate.user_id, Certificate.course_id).where(
            Certificate.user_id.in_(user_ids), Certificate.status == "valid"))} if user_ids \
        else set()
    course_ids = {c.course_id for c in cohorts}
    totals = _per_cohort(sa.select(Lesson.course_id, sa.func.count(Lesson.id)).where(
        Lesson.course_id.in_(course_ids), Lesson.archived.is_(False)).group_by(Lesson.course_id))
    read = {(r.user_id, r.course_id): r.count for r in db.session.execute(
        sa.select(LessonProgress.user_id, Lesson.course_id,
                  sa.func.count(Lesson.id).label("count"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(user_ids), Lesson.course_id.in_(course_ids),
               Lesson.archived.is_(False))
        .group_by(LessonProgress.user_id, Lesson.course_id))} if user_ids else {}
    today, result = _today(now), []
    for cohort in cohorts:
        people = [m.user_id for m in members if m.cohort_id == cohort.id]
        behind = sum(1 for u in people if (u, cohort.course_id) not in certified and
                     rules.is_behind(read.get((u, cohort.course_id), 0),
                                     totals.get(cohort.course_id, 0), cohort.starts_on,
                                     cohort.ends_on, today))
        result.append(CohortFigures(cohort.name, cohort.slug, cohort.course.title, len(people),
                                    waiting.get(cohort.id, 0), issued.get(cohort.id, 0), behind))
    return result


def waiting_trainers() -> set[int]:
    """Trainers of an open cohort in which some essay waits for a grade (one query)."""
    return set(db.session.scalars(
        sa.select(cohort_trainer.c.user_id).join(Cohort, Cohort.id == cohort_trainer.c.cohort_id)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(Attempt, Attempt.user_id == Enrolment.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Cohort.archived.is_(False), Attempt.status == "needs_grading",
               Quiz.course_id == Cohort.course_id).distinct()))


def enqueue_all(now: datetime | None = None) -> tuple[str, list[int], int, int, int]:
    """The command: (the day, trainers queued, how many had it already today, how many turned
    it off, how many have nothing waiting)."""
    now = now or utcnow()
    day = _today(now).isoformat()
    trainers = list(db.session.scalars(
        sa.select(User.id).join(cohort_trainer, cohort_trainer.c.user_id == User.id)
        .join(Cohort, Cohort.id == cohort_trainer.c.cohort_id)
        .where(User.active.is_(True), User.role.in_(("trainer", "admin")),
               Cohort.archived.is_(False)).distinct().order_by(User.id)))
    off = preferences.opted_out_ids("digest")
    waiting = waiting_trainers()
    sent = preferences.already_sent(KIND, {day})
    queued: list[int] = []
    skipped = idle = 0
    for trainer_id in trainers:
        if trainer_id in off:
            skipped += 1
        elif trainer_id not in waiting:
            idle += 1
        elif (trainer_id, day) not in sent:
            queued.append(trainer_id)
            jobs.enqueue(send_digest, trainer_id=trainer_id, day=day)
    return day, queued, len(trainers) - len(queued) - skipped - idle, skipped, idle


def send_digest(trainer_id: int, day: str | None = None, week: str | None = None) -> None:
    """The job: one trainer's digest of `day` (checked again: turned off, nothing waiting any
    more, sent by a twin). `week`: a job queued before digests became daily."""
    ref = day or week or ""
    trainer = db.session.get(User, trainer_id)
    if trainer is None or not trainer.active or not preferences.wants(trainer.id, "digest"):
        return
    rows = figures(trainer.id)
    if not any(r.essays_waiting for r in rows) or not preferences.claim(trainer.id, KIND, ref):
        return
    outgoing.send(trainer, "notify_digest", SUBJECT, unsubscribe="digest",
                  day=date.fromisoformat(ref) if day else None,
                  organisation_id=trainer.organisation_id,
                  cohorts=rows, grading_link=mail.public_url("grading.queue"),
                  cohort_links={r.slug: mail.public_url("reports.cohort", cohort_slug=r.slug)
                                for r in rows})
