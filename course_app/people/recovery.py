"""Password recovery: a mailed link, single use, valid PASSWORD_RESET_MINUTES (30), stored only
as a SHA-256 hash, and useless once the password changes in any way."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import PasswordResetToken, User
from ..models.types import utcnow
from . import accounts, audit


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def asked_for(email: str) -> None:
    """The request's part, the same for every address: the audit row (flushes)."""
    audit.record("auth.password_reset_requested", None, None, email=email[:254])


def make_link(email: str) -> tuple[User, str] | None:
    """A new token for the active account `email` names, and that account; None for any other
    address. Runs in the recovery job (accounts/reset_mail.py), after the answer was sent."""
    user = accounts.find_user(email)
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    db.session.add(PasswordResetToken(
        user_id=user.id, token_hash=_digest(token), password_digest=_digest(user.password_hash),
        expires_at=utcnow() + timedelta(minutes=minutes)))
    return user, token


def find_valid(token: str, purpose: str = "reset") -> tuple[PasswordResetToken, User] | None:
    """The token's row and account while the link may still be used; None otherwise (unknown,
    used, expired, of the other purpose, the account disabled or its password changed since)."""
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(sa.select(PasswordResetToken)
                            .where(PasswordResetToken.token_hash == _digest(token),
                                   PasswordResetToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or _digest(user.password_hash) != row.password_digest:
        return None
    return row, user


def reset_password(token: str, new_password: str, purpose: str = "reset") -> User | None:
    """Set the new password through the link: the token is spent (at most once, even under two
    requests at a time), every session of the account ends and the change is audited. None when
    the link is no longer valid; ServiceError when the password breaks the rules."""
    found = find_valid(token, purpose)
    if found is None:
        return None
    row, user = found
    accounts.check_password_rules(new_password)
    spent = db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None
    accounts.change_password(user, new_password)  # ends every session: the version moves on
    audit.record("auth.password_reset" if purpose == "reset" else "user.invitation_accepted",
                 user.id, f"user:{user.id}")
    return user
