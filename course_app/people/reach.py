"""The cohorts behind the reach rules of domain/reach.py: which cohorts a trainer teaches and
which cohorts each trainee belongs to (one query each, whatever the number of people)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..domain import reach
from ..extensions import db
from ..models import Cohort, Enrolment, User, cohort_trainer


def taught_by(user_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(cohort_trainer.c.cohort_id).where(
        cohort_trainer.c.user_id == user_id)))


def cohorts_of(user_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(set(user_ids))
    found: dict[int, set[int]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        for user_id, cohort_id in db.session.execute(
                sa.select(Enrolment.user_id, Enrolment.cohort_id)
                .where(Enrolment.user_id.in_(ids[start:start + 500]))):
            found[user_id].add(cohort_id)
    return found


def may_reset_password(actor: User | None, trainee: User) -> bool:
    """None is an operator at the command line, who reaches everyone."""
    if actor is None or actor.is_admin:
        return True
    theirs = cohorts_of([trainee.id])[trainee.id]
    return reach.may_reset_password(False, taught_by(actor.id), theirs)


def managed_cohorts(user: User) -> sa.Select:
    """The cohorts `user` manages, as a query to narrow further: a trainer's own cohorts; an
    organisation's admin, its cohorts; a site admin, every cohort (domain/reach.py). The one
    place this is decided, for the reports, the cohort pages and the certificate office."""
    query = sa.select(Cohort)
    if not user.is_admin:
        return query.join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id).where(
            cohort_trainer.c.user_id == user.id)
    if user.organisation_id is not None:
        return query.where(Cohort.organisation_id == user.organisation_id)
    return query
