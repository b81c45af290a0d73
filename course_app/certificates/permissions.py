"""Who may act on a certificate: site admins, the admins of the certificate's organisation,
and the trainers who teach its holder in a cohort of its course (domain/reach.py holds the
organisation rule)."""

from __future__ import annotations

import sqlalchemy as sa

from ..domain import reach
from ..extensions import db
from ..models import Certificate, Cohort, Course, Enrolment, User, cohort_trainer
from . import issuers as issuing


def may_certify(actor: User, trainee: User, course: Course) -> bool:
    if actor.is_admin:
        organisation = issuing.cohort_organisation(trainee.id, course.id)
        return reach.reaches_organisation(actor.organisation_id,
                                          organisation.id if organisation else None)
    return actor.role == "trainer" and teaches(actor, trainee.id, course.id)


def may_manage(actor: User, certificate: Certificate) -> bool:
    """Site admins, the certificate's organisation's admins, the trainee's trainers."""
    if actor.is_admin:
        return reach.reaches_organisation(actor.organisation_id, certificate.organisation_id)
    return actor.role == "trainer" and teaches(actor, certificate.user_id, certificate.course_id)


def teaches(trainer: User, trainee_id: int, course_id: int) -> bool:
    """True when the trainer teaches a cohort of the course in which the trainee is enrolled."""
    query = (sa.select(Cohort.id).join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id)
             .join(Enrolment, Enrolment.cohort_id == Cohort.id)
             .where(cohort_trainer.c.user_id == trainer.id, Enrolment.user_id == trainee_id,
                    Cohort.course_id == course_id).limit(1))
    return db.session.scalar(query) is not None


def may_download(user: User, certificate: Certificate) -> bool:
    if certificate.user_id == user.id:
        return True
    return may_manage(user, certificate)
