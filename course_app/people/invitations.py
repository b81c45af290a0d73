"""Invitations: a new account gets no password (`!invited`, which never signs in) and a mailed
link, `/invite/<token>`, where its owner chooses one. The link is a PasswordResetToken of
purpose "invite": stored only as a SHA-256 hash, valid INVITATION_DAYS (7), single use,
useless once the account's password changes in any way, and replaced by a re-sent one. The
mail is in the recipient's language, from the organisation's name."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import jobs, mail
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Cohort, Organisation, PasswordResetToken, User
from ..models.types import utcnow
from ..security.passwords import INVITED
from . import audit

SUBJECT = _l("Your account is ready: choose your password")
RESEND_MINUTES = 10  # a trainer re-sends one person's invitation at most this often


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def days() -> int:
    return int(current_app.config.get("INVITATION_DAYS") or 7)


def is_invited(user: User) -> bool:
    """The account still waits for its owner to choose a password."""
    return user.password_hash == INVITED


def sender_name(organisation_id: int | None, locale: str) -> str:
    """The organisation's name in the reader's language; the site's issuer without one."""
    found = db.session.get(Organisation, organisation_id) if organisation_id else None
    if found is not None and isinstance(found.name, dict):
        name = found.name.get(locale) or found.name.get("vi")
        if name:
            return str(name)
    return mail.organisation(locale)


def _issue(user: User, actor_id: int | None) -> str:
    """A new link for `user`; every earlier unused invitation of the account stops working."""
    now = utcnow()
    db.session.execute(sa.update(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.purpose == "invite",
        PasswordResetToken.used_at.is_(None)).values(used_at=now)
        .execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(
        user_id=user.id, token_hash=_digest(token), purpose="invite",
        password_digest=_digest(user.password_hash), created_at=now,
        expires_at=now + timedelta(days=days())))
    audit.record("user.invite", actor_id, f"user:{user.id}", email=user.email)
    return token


def _mail(user: User, token: str, organisation_id: int | None, cohort: str | None) -> None:
    locale = mail.recipient_locale(user.locale)
    mail.send(mail.compose(
        user.email, locale, "invitation", SUBJECT, name=user.full_name,
        sender=sender_name(organisation_id, locale), email=user.email, cohort=cohort or "",
        link=mail.public_url("auth.accept_invitation", token=token), days=days()),
        "invitation", user_id=user.id)


def invite(user: User, actor_id: int | None, organisation_id: int | None = None,
           cohort: str | None = None) -> None:
    """Put `user` in the invited state and mail them a link (after the commit)."""
    user.password_hash = INVITED
    user.must_change_password = False
    db.session.flush()
    _mail(user, _issue(user, actor_id), organisation_id, cohort)


def _recently_sent(user: User) -> bool:
    since = utcnow() - timedelta(minutes=RESEND_MINUTES)
    return db.session.scalar(sa.select(PasswordResetToken.id).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.purpose == "invite",
        PasswordResetToken.created_at > since).limit(1)) is not None


def resend(user: User, actor_id: int | None, organisation_id: int | None = None,
           cohort: str | None = None) -> None:
    """A fresh link by mail for an account that has not chosen its password; at most one per
    RESEND_MINUTES (ServiceError "invite_throttled"), and never for an account with a password
    (ServiceError "not_invited": a forgotten password is what /password/forgot is for)."""
    if not is_invited(user) or not user.active:
        raise ServiceError("not_invited", "this account already has a password")
    if _recently_sent(user):
        raise ServiceError("invite_throttled", "an invitation was sent a few minutes ago")
    _mail(user, _issue(user, actor_id), organisation_id, cohort)


def send_batch(user_ids: list[int], actor_id: int | None, cohort_id: int | None) -> None:
    """The job of a roster imported with invitations. Idempotent: an account that already has
    a live invitation, or a password, gets nothing more (a job run twice sends one mail)."""
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    now = utcnow()
    live = set(db.session.scalars(sa.select(PasswordResetToken.user_id).where(
        PasswordResetToken.user_id.in_(user_ids), PasswordResetToken.purpose == "invite",
        PasswordResetToken.used_at.is_(None), PasswordResetToken.expires_at > now)))
    for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids),
                                                         User.password_hash == INVITED)):
        if user.id not in live:
            _mail(user, _issue(user, actor_id), cohort.organisation_id if cohort else None,
                  cohort.name if cohort else None)


def send_later(users: list[User], actor_id: int | None, cohort: Cohort) -> None:
    """Queue the invitations of freshly imported `users` (flushed, in the invited state)."""
    if users:
        jobs.enqueue(send_batch, user_ids=[u.id for u in users], actor_id=actor_id,
                     cohort_id=cohort.id)


def details(user: User) -> dict[str, Any]:
    """What a page says about the account's invitation: whether it waits, and until when."""
    row = db.session.scalar(sa.select(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.purpose == "invite")
        .order_by(PasswordResetToken.created_at.desc()).limit(1))
    return {"invited": is_invited(user), "expires_at": row.expires_at if row else None,
            "sent_at": row.created_at if row else None}
