"""Deadline reminders: `flask notify reminders` finds the trainees whose cohort ends, or whose
quiz closes (the cohort's window, or their own override), within the next N days and who have
not completed; it enqueues one job per reminder. Each reminder goes at most once per person and
deadline (notification_sent), never to a person who turned reminders off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import jobs, mail
from ..domain import notifications as rules
from ..extensions import db
from ..models import Attempt, Certificate, Cohort, Enrolment, Override, Quiz, QuizWindow, User
from ..models.types import utcnow
from . import messages, preferences

KIND = "reminder"
SUBJECT = _l("Reminder: a deadline is coming")


@dataclass(frozen=True)
class Reminder:
    user_id: int
    ref: str
    cohort_id: int
    quiz_id: int | None
    deadline: str  # ISO: a date (the cohort's last day) or a UTC moment (a quiz's close)


@dataclass
class Outcome:
    queued: int = 0
    already_sent: int = 0
    turned_off: int = 0
    reminders: list[Reminder] = field(default_factory=list)


def certified(user_ids: set[int]) -> set[tuple[int, int]]:
    """(user id, course id) of the valid certificates held: the course is complete."""
    if not user_ids:
        return set()
    rows = db.session.execute(sa.select(Certificate.user_id, Certificate.course_id).where(
        Certificate.user_id.in_(user_ids), Certificate.status == "valid"))
    return {(row.user_id, row.course_id) for row in rows}


def quiz_done(user_ids: set[int], quiz_ids: set[int]) -> set[tuple[int, int]]:
    """(user id, quiz id) of quizzes passed or waiting for a trainer's grade."""
    if not user_ids or not quiz_ids:
        return set()
    rows = db.session.execute(
        sa.select(Attempt.user_id, Attempt.quiz_id).join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id.in_(user_ids), Attempt.quiz_id.in_(quiz_ids),
               sa.or_(Attempt.status == "needs_grading",
                      sa.and_(Attempt.status == "finished",
                              Attempt.percent >= Quiz.pass_score))).distinct())
    return {(row.user_id, row.quiz_id) for row in rows}


def _trainees(cohort_ids: list[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    rows = db.session.execute(
        sa.select(Enrolment.cohort_id, User.id).join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id.in_(cohort_ids), User.role == "trainee",
               User.active.is_(True)).order_by(User.id))
    for row in rows:
        members.setdefault(row.cohort_id, []).append(row.id)
    return members


def _windows(cohort_ids: list[int]) -> list[Any]:
    return list(db.session.execute(
        sa.select(QuizWindow.cohort_id, QuizWindow.quiz_id, QuizWindow.closes_at)
        .join(Quiz, Quiz.id == QuizWindow.quiz_id)
        .where(QuizWindow.cohort_id.in_(cohort_ids), Quiz.archived.is_(False))
        .order_by(QuizWindow.cohort_id, QuizWindow.quiz_id)))


def _overrides(cohort_ids: list[int]) -> dict[tuple[int, int, int | None], datetime]:
    rows = db.session.execute(
        sa.select(Override.cohort_id, Override.user_id, Override.quiz_id, Override.closes_at)
        .where(Override.cohort_id.in_(cohort_ids), Override.closes_at.is_not(None)))
    return {(r.cohort_id, r.user_id, r.quiz_id): r.closes_at for r in rows}


def find_due(days: int, now: datetime | None = None) -> list[Reminder]:
    """Every reminder due now, sent or not (a fixed number of queries)."""
    now = now or utcnow()
    today = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    cohorts = {c.id: c for c in db.session.scalars(
        sa.select(Cohort).where(Cohort.archived.is_(False)))}
    members = _trainees(list(cohorts))
    done = certified({u for ids in members.values() for u in ids})
    found: list[Reminder] = []
    for cohort in cohorts.values():
        if rules.day_due(cohort.ends_on, today, days):
            found += [Reminder(u, f"cohort:{cohort.id}:{cohort.ends_on}", cohort.id, None,
                               str(cohort.ends_on)) for u in members.get(cohort.id, [])
                      if (u, cohort.course_id) not in done]
    windows, overrides = _windows(list(cohorts)), _overrides(list(cohorts))
    passed = quiz_done({u for ids in members.values() for u in ids}, {w.quiz_id for w in windows})
    for window in windows:
        cohort = cohorts[window.cohort_id]
        for user_id in members.get(cohort.id, []):
            if (user_id, cohort.course_id) in done or (user_id, window.quiz_id) in passed:
                continue
            close = rules.effective_close(window.closes_at,
                                          overrides.get((cohort.id, user_id, window.quiz_id)),
                                          overrides.get((cohort.id, user_id, None)))
            if close is not None and rules.moment_due(close, now, days):
                found.append(Reminder(user_id, f"quiz:{cohort.id}:{window.quiz_id}:"
                                      f"{close:%Y%m%dT%H%M}", cohort.id, window.quiz_id,
                                      close.isoformat()))
    return found


def enqueue_due(days: int, now: datetime | None = None) -> Outcome:
    """The command: one job per reminder not sent yet, for people who did not turn them off."""
    outcome = Outcome()
    due = find_due(days, now)
    off = preferences.opted_out_ids("reminders")
    sent = preferences.already_sent(KIND, {r.ref for r in due})
    for reminder in due:
        if reminder.user_id in off:
            outcome.turned_off += 1
        elif (reminder.user_id, reminder.ref) in sent:
            outcome.already_sent += 1
        else:
            outcome.queued += 1
            outcome.reminders.append(reminder)
            jobs.enqueue(send_reminder, user_id=reminder.user_id, ref=reminder.ref,
                         cohort_id=reminder.cohort_id, quiz_id=reminder.quiz_id,
                         deadline=reminder.deadline)
    return outcome


def send_reminder(user_id: int, ref: str, cohort_id: int, quiz_id: int | None,
                  deadline: str) -> None:
    """The job: checked again when it runs (done since, turned off since, sent by a twin)."""
    user, cohort = db.session.get(User, user_id), db.session.get(Cohort, cohort_id)
    quiz = db.session.get(Quiz, quiz_id) if quiz_id is not None else None
    if user is None or cohort is None or not user.active or (quiz_id is not None and not quiz):
        return
    finished = (user.id, cohort.course_id) in certified({user.id}) or (
        quiz is not None and (user.id, quiz.id) in quiz_done({user.id}, {quiz.id}))
    if finished or not preferences.wants(user.id, "reminders"):
        return
    if not preferences.claim(user.id, KIND, ref):
        return
    moment = datetime.fromisoformat(deadline)
    messages.send(user, "notify_reminder", SUBJECT, organisation_id=cohort.organisation_id,
                  unsubscribe="reminders", cohort_name=cohort.name,
                  course_title=cohort.course.title, quiz_title=quiz.title if quiz else None,
                  deadline=moment if quiz else moment.date(),
                  link=mail.public_url("quiz.intro", course_slug=cohort.course.slug,
                                       quiz_slug=quiz.slug) if quiz else
                  mail.public_url("learn.course", course_slug=cohort.course.slug))
