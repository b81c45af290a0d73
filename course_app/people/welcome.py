"""Welcome to a cohort (issue 20): a trainee enrolled in a cohort (a roster imported in the
browser or by `flask users import`, one trainee added on the cohort's page, `flask users create
--cohort`) is mailed the cohort's name, course, dates and a link, in their language, by a job
that starts after the enrolment commits. Once per trainee and cohort: the job claims
notification_sent (kind "welcome", ref "cohort:<id>") first, so a job run twice, or a person
enrolled again, mails once.

Not for a new account invited by mail in the same import: its invitation already names the
cohort and carries the link that opens the account, and a second mail at the same moment would
only compete with it (roster.import_roster leaves those out). NOTIFY_EVENTS = False (the test
suite's default) turns these mails off, as the other event mails."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import jobs, mail
from ..extensions import db
from ..models import Cohort, Enrolment, NotificationSent, User
from .invitations import sender_name

KIND = "welcome"


def ref(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def welcome_later(user_ids: list[int], cohort: Cohort) -> None:
    """Queue the welcome of these freshly enrolled trainees (after the commit)."""
    if user_ids and current_app.config.get("NOTIFY_EVENTS", True) and not cohort.archived:
        jobs.enqueue(send_welcome, user_ids=sorted(set(user_ids)), cohort_id=cohort.id)


def _claim(user_id: int, cohort_id: int) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(NotificationSent(user_id=user_id, kind=KIND, ref=ref(cohort_id)))
    except IntegrityError:  # welcomed before (an earlier run, or a twin job a moment ago)
        return False
    return True


def send_welcome(user_ids: list[int], cohort_id: int) -> None:
    """The job: each active trainee still enrolled, not welcomed to this cohort before."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.archived:
        return
    course = cohort.course
    link = mail.public_url("learn.course", course_slug=course.slug)
    enrolled = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    for user in db.session.scalars(sa.select(User).where(
            User.id.in_(user_ids), User.id.in_(enrolled), User.active.is_(True),
            User.role == "trainee").order_by(User.id)):
        if not _claim(user.id, cohort.id):
            continue
        locale = mail.recipient_locale(user.locale)
        subject = _l("Welcome to %(cohort)s", cohort=cohort.name)
        message = mail.compose(user.email, locale, "welcome", subject, name=user.full_name,
                               sender=sender_name(cohort.organisation_id, locale),
                               cohort_name=cohort.name, course_title=course.title,
                               starts_on=cohort.starts_on, ends_on=cohort.ends_on, link=link)
        mail.send(message, KIND, user_id=user.id, link=link)
