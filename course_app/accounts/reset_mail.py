"""The recovery mail, made by a job so that `/password/forgot` does the same work for every
address (an audit row and one job, SECURITY promise 27): the job makes the token and the mail
only for an active account, and nothing for any other address."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import jobs, mail
from ..people import recovery

SUBJECT = _l("Reset your password")


def ask(email: str, locale: str) -> None:
    """The request's whole work (flushes; the job starts after the commit)."""
    recovery.asked_for(email)
    jobs.enqueue(send_link, email=email[:254], locale=locale)


def send_link(email: str, locale: str) -> None:
    """The job: a single-use link to the account's own address, in its language."""
    made = recovery.make_link(email)
    if made is None:
        return
    user, token = made
    message = mail.compose(
        user.email, mail.recipient_locale(user.locale or locale), "password_reset", SUBJECT,
        name=user.full_name, link=mail.public_url("auth.reset_password", token=token),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    mail.send(message, "password_reset", user_id=user.id)
