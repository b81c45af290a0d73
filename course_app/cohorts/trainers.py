"""A cohort's trainers (added by email, taken off) and moving a trainee between two cohorts of
the same course. Attempts, lessons read and certificates belong to the trainee and the course,
not to a cohort, so a move keeps them all."""

from __future__ import annotations

import sqlalchemy as sa

from ..domain import cohort_rules
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Cohort, Enrolment, User
from ..people import audit
from ..people.accounts import find_user


def trainers_of(cohort: Cohort) -> list[User]:
    return sorted(cohort.trainers, key=lambda u: (u.full_name, u.email))


def add_trainer(cohort: Cohort, email: str, actor: User | None) -> User:
    """An active trainer or administrator account becomes one of the cohort's trainers. Any
    other address (unknown, a trainee, a disabled account) is the same error, so the form
    tells nobody which addresses have accounts; staff of another organisation than the
    cohort's are refused too."""
    user = find_user(email) if email.strip() else None
    if user is None or not user.active or not user.is_trainer:
        raise ServiceError("unknown_trainer", f"no active trainer or administrator has the "
                           f"email '{email.strip()}'", field="email")
    if (cohort.organisation_id is not None and user.organisation_id is not None
            and user.organisation_id != cohort.organisation_id):
        raise ServiceError("other_organisation", "this trainer belongs to another "
                           "organisation", field="email")
    if user in cohort.trainers:
        raise ServiceError("already_trainer", "this person already teaches the cohort",
                           field="email")
    cohort.trainers.append(user)
    audit.record("cohort.assign_trainer", actor.id if actor else None, f"cohort:{cohort.id}",
                 user_id=user.id)
    db.session.flush()
    return user


def trainer_of(cohort: Cohort, user_id: int | None = None, email: str | None = None) -> User:
    """One of the cohort's trainers, by id or email; ServiceError "not_trainer" otherwise."""
    wanted = find_user(email) if email is not None else None
    for user in cohort.trainers:
        if user.id == user_id or (wanted is not None and user.id == wanted.id):
            return user
    raise ServiceError("not_trainer", "this person does not teach the cohort", field="email")


def remove_trainer(cohort: Cohort, user: User, actor: User | None) -> None:
    """Take a trainer off the cohort. The last trainer stays unless an administrator (or an
    operator at the command line) takes them off: the cohort would have nobody to run it."""
    is_admin = actor is None or actor.is_admin
    if not cohort_rules.may_remove_trainer(is_admin, len(cohort.trainers) - 1):
        raise ServiceError("last_trainer", "the last trainer of a cohort can only be taken off "
                           "by an administrator")
    cohort.trainers.remove(user)
    audit.record("cohort.remove_trainer", actor.id if actor else None, f"cohort:{cohort.id}",
                 user_id=user.id)
    db.session.flush()


def move_trainee(source: Cohort, trainee: User, target: Cohort, actor: User | None) -> None:
    """Move an enrolled trainee to another cohort of the same course. The caller loads both
    cohorts through what the actor may manage (reports.cohorts.cohort_for)."""
    if target.id == source.id:
        raise ServiceError("same_cohort", "the trainee is already in this cohort", field="to")
    if target.course_id != source.course_id:
        raise ServiceError("other_course", "the target cohort runs another course", field="to")
    if target.archived:
        raise ServiceError("archived_target", "the target cohort is archived", field="to")
    removed = db.session.execute(sa.delete(Enrolment).where(
        Enrolment.cohort_id == source.id, Enrolment.user_id == trainee.id))
    if not removed.rowcount:  # type: ignore[attr-defined]
        raise ServiceError("not_enrolled", "this person is not a trainee of the cohort")
    already = db.session.scalar(sa.select(Enrolment.id).where(
        Enrolment.cohort_id == target.id, Enrolment.user_id == trainee.id))
    if already is None:
        db.session.add(Enrolment(cohort_id=target.id, user_id=trainee.id))
    audit.record("cohort.move", actor.id if actor else None, f"cohort:{source.id}",
                 user_id=trainee.id, to_cohort_id=target.id)
    db.session.flush()


def move_targets(source: Cohort, managed: list[Cohort]) -> list[Cohort]:
    """Where the actor may move a trainee of `source`: the other cohorts of its course that
    they manage and that are not archived."""
    return [c for c in managed
            if c.id != source.id and c.course_id == source.course_id and not c.archived]
