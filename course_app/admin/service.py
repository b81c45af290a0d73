"""Administration: finding accounts, changing roles, enabling and disabling them, resetting
passwords. Every change is audited, and no change may leave the system without an active
administrator (the admin rows are locked first, so two admins demoting each other at the same
moment cannot both succeed)."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

import sqlalchemy as sa

from ..domain.errors import NotFound, ServiceError
from ..domain.search import search, vietnamese_name_key
from ..extensions import db
from ..models import Cohort, Enrolment, User
from ..models.user import ROLES
from ..people import audit
from ..people.roster import one_time_password
from ..security.passwords import hash_password
from ..security.sessions import end_all_sessions
from ..security.throttle import login_throttle

PAGE_SIZE = 50
STATUSES = ("active", "disabled")


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int


def in_reach(actor: User | None) -> sa.ColumnElement[bool]:
    """The accounts an administrator manages (domain/reach.may_administer_account, in SQL): an
    organisation's admin, its staff and the trainees of its cohorts; a site admin, everyone."""
    if actor is None or actor.organisation_id is None:
        return sa.true()
    theirs = sa.select(Enrolment.user_id).join(Cohort, Cohort.id == Enrolment.cohort_id).where(
        Cohort.organisation_id == actor.organisation_id)
    return sa.or_(User.organisation_id == actor.organisation_id, User.id.in_(theirs))


def find_users(query: str | None = None, role: str | None = None, status: str | None = None,
               page: int = 1, actor: User | None = None) -> UserPage:
    """Accounts matching a name, email or unit (accents and case ignored), one page of them,
    among those the actor administers. Two queries whatever the number of accounts: the
    matching runs on four short columns."""
    candidates = sa.select(User.id, User.email, User.full_name, User.unit).where(in_reach(actor))
    if role in ROLES:
        candidates = candidates.where(User.role == role)
    if status in STATUSES:
        candidates = candidates.where(User.active.is_(status == "active"))
    rows = search(db.session.execute(candidates).all(), query, lambda r: r.full_name,
                  lambda r: r.email, lambda r: r.unit)
    rows.sort(key=lambda r: (vietnamese_name_key(r.full_name), r.email))
    pages = max(1, ceil(len(rows) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    ids = [r.id for r in rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    loaded = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
    return UserPage([loaded[i] for i in ids], len(rows), page, pages)


def get_user(user_id: int, actor: User | None = None) -> User:
    """The account, when the actor administers it (NotFound otherwise)."""
    user = db.session.scalar(sa.select(User).where(User.id == user_id, in_reach(actor)))
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def _keep_an_active_admin(leaving: User) -> None:
    """Refuse when `leaving` is the last active site administrator (an admin of no
    organisation), or the last active admin at all. Locks every active admin row in id order
    (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers)."""
    admins = db.session.execute(
        sa.select(User.id, User.organisation_id).where(User.role == "admin",
                                                       User.active.is_(True))
        .order_by(User.id).with_for_update()).all()
    others = [row for row in admins if row.id != leaving.id]
    if leaving.organisation_id is None:
        others = [row for row in others if row.organisation_id is None]
    if not others:
        raise ServiceError("last_admin", "at least one active site administrator must remain")


def _changes(user: User, **after: Any) -> dict[str, Any]:
    return {"email": user.email, **after}


def change_role(actor: User, user: User, role: str) -> bool:
    """Give `user` a new role; False when it already had it."""
    if role not in ROLES:
        raise ServiceError("bad_role", f"role must be one of {', '.join(ROLES)}")
    if role == user.role:
        return False
    if user.role == "admin":
        _keep_an_active_admin(user)
    before = user.role
    user.role = role
    if role != "trainee" and actor.organisation_id is not None:
        user.organisation_id = actor.organisation_id  # never a site admin made by an org's admin
    audit.record("user.role_change", actor.id, f"user:{user.id}",
                 **_changes(user, before=before, after=role))
    db.session.flush()
    return True


def set_active(actor: User, user: User, active: bool) -> bool:
    """Enable or disable an account; disabling ends every session it has. False: no change."""
    if user.active == active:
        return False
    if not active and user.role == "admin":
        _keep_an_active_admin(user)
    user.active = active
    if not active:
        end_all_sessions(user)
    audit.record("user.enable" if active else "user.disable", actor.id, f"user:{user.id}",
                 **_changes(user))
    db.session.flush()
    return True


def reset_password(actor: User, user: User) -> str:
    """A new one-time password (returned once, never stored in clear or logged); the user must
    choose their own at the next sign-in, and every existing session ends."""
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_all_sessions(user)
    login_throttle().reset_account(user.email)  # a locked-out user can sign in at once
    audit.record("user.password_reset", actor.id, f"user:{user.id}", **_changes(user))
    db.session.flush()
    return password
