"""Sessions that the server can end: the user id travels with a per-user session version, so
logout, disabling a user and a password change refuse every cookie issued before them."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, current_app, session
from flask_login import current_user, logout_user

from ..extensions import db, login_manager
from ..models import User
from .throttle import login_throttle

# A statement built once: Session.get composes its primary-key query on each call, which made
# it half again as slow as this on every signed-in request.
_USER = sa.select(User).where(User.id == sa.bindparam("id"))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_USER, {"id": int(user_id)}).scalar()
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    session.clear()  # a new session on sign-in: nothing carries over from before
    # The account's failed sign-ins are forgiven once its owner proves the password; the
    # address's count stays (see throttle.py).
    login_throttle().reset_account(user.email)
    now = int(time.time())
    session["started"] = now
    session["seen"] = now
    session.permanent = True


def end_all_sessions(user: User) -> None:
    user.session_version += 1


def _check_lifetimes() -> None:
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute_limit = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    started, seen = session.get("started", 0), session.get("seen", 0)
    if now - seen > idle_limit or now - started > absolute_limit:
        logout_user()
        session.clear()
        return
    if now - seen > 60:  # refresh rarely, so most responses don't rewrite the cookie
        session["seen"] = now


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    app.before_request(_check_lifetimes)
    from . import access, logs

    access.init_app(app)
    logs.init_app(app)
