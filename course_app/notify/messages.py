"""Composing a notification: mail.compose in the person's language, from the organisation
that runs their cohort (or the course's issuer, as the reset mail), and for the mails a person
may turn off, a signed one-click unsubscribe link in the text and in List-Unsubscribe."""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

import sqlalchemy as sa

from .. import mail
from ..extensions import db
from ..i18n import tr
from ..models import Cohort, Enrolment, Organisation, User
from . import tokens

# The mail_log kind of each notification template.
KINDS = {"notify_essay_graded": "essay_graded", "notify_certificate": "certificate_issued",
         "notify_certificate_revoked": "certificate_revoked", "notify_reminder": "reminder",
         "notify_digest": "digest", "notify_welcome": "welcome"}


def organisation_name(organisation_id: int | None, locale: str) -> str:
    if organisation_id is None:
        return ""
    organisation = db.session.get(Organisation, organisation_id)
    return tr(organisation.name, locale) if organisation is not None else ""


def cohort_organisation(user_id: int, course_id: int) -> int | None:
    """The organisation of the person's (first) cohort of the course, if it has one."""
    return db.session.scalar(
        sa.select(Cohort.organisation_id).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user_id, Cohort.course_id == course_id,
               Cohort.organisation_id.is_not(None)).order_by(Cohort.id).limit(1))


def send(user: User, template: str, subject: Any, *, organisation_id: int | None = None,
         sender: str = "", unsubscribe: str | None = None, **context: Any) -> None:
    """Compose and hand over to the mail job (after the current unit of work commits).
    `sender` names the sender when known (a certificate's issuer); else the organisation,
    else mail.organisation (COURSE_APP_CERTIFICATE_ISSUER_*, the course's issuer)."""
    locale = mail.recipient_locale(user.locale)
    link = None
    if unsubscribe is not None:
        link = mail.public_url("notify.unsubscribe", token=tokens.make(user.id, unsubscribe))
    message = mail.compose(user.email, locale, template, subject, name=user.full_name,
                           unsubscribe_link=link, unsubscribe_kind=unsubscribe, **context)
    name = organisation_name(organisation_id, locale) or sender
    if name:
        del message["From"]
        message["From"] = formataddr((name, mail.sender_address()))
    if link is not None:
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    main_link = context.get("link") or context.get("verify_link") or context.get("grading_link")
    mail.send(message, KINDS[template], user_id=user.id, link=main_link)
