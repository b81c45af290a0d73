"""Cohorts as trainers see them: the cohorts they teach (admins: all), and adding, removing and
resetting one trainee by hand. Unknown and foreign cohorts or trainees are NotFound."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Cohort, Enrolment, User
from ..people import audit, reach, roster
from ..security.passwords import hash_password


@dataclass(frozen=True)
class CohortListItem:
    cohort: Cohort
    trainees: int


def cohorts_for(user: User) -> list[CohortListItem]:
    """The cohorts the user teaches (every cohort for an admin), newest first."""
    cohorts = list(db.session.scalars(reach.managed_cohorts(user).options(
        selectinload(Cohort.course), selectinload(Cohort.trainers))
        .order_by(Cohort.starts_on.desc().nulls_last(), Cohort.created_at.desc())))
    ids = [c.id for c in cohorts]
    counts = dict(db.session.execute(
        sa.select(Enrolment.cohort_id, sa.func.count(Enrolment.id))
        .where(Enrolment.cohort_id.in_(ids)).group_by(Enrolment.cohort_id)).all()
    ) if ids else {}
    return [CohortListItem(c, counts.get(c.id, 0)) for c in cohorts]


def cohort_for(user: User, slug: str) -> Cohort:
    """The cohort when the user teaches it or is an admin."""
    cohort = db.session.scalar(reach.managed_cohorts(user).where(Cohort.slug == slug)
                               .options(selectinload(Cohort.course)))
    if cohort is None:
        raise NotFound("cohort")
    return cohort


def trainee_of(cohort: Cohort, user_id: int) -> User:
    user = db.session.scalar(sa.select(User).join(Enrolment, Enrolment.user_id == User.id).where(
        Enrolment.cohort_id == cohort.id, User.id == user_id))
    if user is None:
        raise NotFound("trainee")
    return user


def add_trainee(cohort: Cohort, full_name: str, email: str, unit: str | None,
                position: str | None, actor: User | None) -> roster.ImportResult:
    """Enrol one person: an existing trainee account by email, or a new account with a
    one-time password. Raises ServiceError with `errors` (roster.RowError) when refused; an
    account outside the actor's reach (domain/reach.py) is ServiceError("needs_admin") with
    `held_user_ids`, for the caller to audit."""
    single = roster.single_row(full_name, email, unit, position)
    roster.check_accounts(single, cohort, actor)
    if single.rows[0].status == "enrolled":
        raise ServiceError("already_enrolled", "this person is already in the cohort")
    try:
        return roster.import_roster(single, cohort, actor, action="cohort.enrol")
    except ServiceError as error:
        if error.params.get("held_user_ids"):
            raise ServiceError("needs_admin", "this address belongs to an account outside your "
                               "cohorts; an administrator must add it",
                               errors=error.params.get("errors"),
                               held_user_ids=error.params["held_user_ids"]) from error
        raise


def remove_trainee(cohort: Cohort, user: User, actor_id: int | None) -> None:
    """Take the trainee out of the cohort; their account, progress and attempts stay."""
    db.session.execute(sa.delete(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                  Enrolment.user_id == user.id))
    audit.record("cohort.unenrol", actor_id, f"cohort:{cohort.id}", user_id=user.id)
    db.session.flush()


def reset_password(cohort: Cohort, user: User, actor: User | None) -> roster.Credential:
    """A new one-time password for a trainee of the cohort; their sessions end and they must
    choose a password at the next sign-in. Only for someone who teaches every cohort of the
    trainee, or an administrator (None: an operator at the command line): otherwise
    ServiceError("needs_admin"), written nowhere, for the caller to audit."""
    if user.role != "trainee":
        raise NotFound("trainee")  # trainers and admins are never reset from a cohort page
    if not reach.may_reset_password(actor, user):
        raise ServiceError("needs_admin", "this trainee is also in a cohort you do not teach; "
                           "an administrator must reset the password")
    actor_id = actor.id if actor else None
    password = roster.one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    audit.record("user.password_reset", actor_id, f"user:{user.id}", cohort_id=cohort.id)
    db.session.flush()
    return roster.Credential(user.full_name, user.email, user.unit, user.position, password)
