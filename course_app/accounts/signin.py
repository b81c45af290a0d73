"""Signing in from a form: throttled, audited, a new session on success. Used by the sign-in
page and by the attempt page's "sign in again" form (quiz/recovery.py), so both count failures
and start sessions the same way."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import login_user

from ..models import User
from ..people import accounts, audit
from ..security.sessions import start_session
from ..security.throttle import login_throttle
from .forms import LoginForm


def sign_in(form: LoginForm) -> tuple[User | None, int]:
    """The signed-in user, or None with the HTTP status of the refusal (the form then holds
    the message). The form must have validated."""
    email, ip = form.email.data or "", request.remote_addr or "unknown"
    throttle = login_throttle()
    if throttle.blocked(email, ip):
        form.password.errors.append(_("Too many failed sign-ins. Please wait 15 minutes."))
        return None, 429
    user = accounts.authenticate(email, form.password.data or "")
    if user is None and accounts.password_pending(email):
        # Imported a moment ago: no password can be checked until the job has hashed it.
        form.password.errors.append(_("Your account is being prepared. Please try again in a "
                                      "minute."))
        return None, 503
    if user is None:
        throttle.record_failure(email, ip)
        audit.record("auth.login_failed", None, None, email=email[:254])
        form.password.errors.append(_("The email or password is not correct."))
        return None, 401
    chosen_locale = session.get("locale")  # picked on the sign-in page: keep it for the account
    start_session(user)
    if chosen_locale in current_app.config["LOCALES"]:
        user.locale = chosen_locale
    login_user(user)
    accounts.record_login(user)
    return user, 200
