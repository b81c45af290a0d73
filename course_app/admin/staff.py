"""Staff accounts made in the browser (issue 19): trainers and administrators, each in an
organisation (or, for a site administrator, none). A site administrator (no organisation)
reaches every account; an organisation's administrator creates and manages only the staff of
their own organisation. The new person gets a one-time password shown once, or a mailed
invitation (people/invitations.py)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Organisation, User
from ..people import audit, invitations
from ..people.accounts import EMAIL, clean_name, find_user, normalise_email
from ..people.roster import one_time_password
from ..security.passwords import INVITED, hash_password

STAFF_ROLES = ("trainer", "admin")


@dataclass(frozen=True)
class NewStaff:
    user: User
    password: str | None  # the one-time password, shown once; None when invited by mail


def is_site_admin(user: User) -> bool:
    return user.is_admin and user.organisation_id is None


def may_manage(actor: User, user: User) -> bool:
    """A site administrator manages everyone; an organisation's administrator the staff of
    their organisation only."""
    return is_site_admin(actor) or (user.organisation_id is not None
                                    and user.organisation_id == actor.organisation_id)


def organisations_for(actor: User) -> list[Organisation]:
    """The organisations `actor` may put a new account in (archived ones are not offered)."""
    query = sa.select(Organisation).where(Organisation.archived.is_(False))
    if not is_site_admin(actor):
        query = query.where(Organisation.id == actor.organisation_id)
    return list(db.session.scalars(query.order_by(Organisation.slug)))


def _organisation(actor: User, organisation_id: int | None) -> int | None:
    if organisation_id is None:
        if is_site_admin(actor):
            return None
        raise ServiceError("unknown_organisation", "choose your organisation", field="organisation")
    if organisation_id not in {o.id for o in organisations_for(actor)}:
        raise ServiceError("unknown_organisation", "unknown organisation", field="organisation")
    return organisation_id


def create_staff(actor: User, email: str, name: str, role: str, organisation_id: int | None,
                 invite: bool) -> NewStaff:
    """Create a trainer or administrator; ServiceError with `field` names what is wrong."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise ServiceError("bad_email", f"'{email}' is not a valid email address", field="email")
    if find_user(email) is not None:
        raise ServiceError("duplicate_email", "an account with this email already exists",
                           field="email")
    if not clean_name(name):
        raise ServiceError("no_name", "the full name is required", field="name")
    if role not in STAFF_ROLES:
        raise ServiceError("bad_role", "role must be trainer or admin", field="role")
    organisation_id = _organisation(actor, organisation_id)
    password = None if invite else one_time_password()
    user = User(email=email, full_name=clean_name(name), role=role,
                organisation_id=organisation_id, must_change_password=not invite,
                password_hash=INVITED if invite else hash_password(password or ""))
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor.id, f"user:{user.id}", email=email, role=role,
                 organisation_id=organisation_id, delivery="invite" if invite else "password")
    if invite:
        invitations.invite(user, actor.id, organisation_id)
    return NewStaff(user, password)


def resend_invitation(actor: User, user: User) -> None:
    invitations.resend(user, actor.id, user.organisation_id)
