"""What the office pages need around service.py's issue, revoke and reissue: the certificate or
the trainee a trainer may act on (anything else is NotFound, so a page answers 404), and the
cohort whose trainee page a trainer returns to. The changes themselves are service.py's, shared
with the command line (cli/certificates.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import NotFound
from ..extensions import db
from ..models import Certificate, Cohort, Course, Enrolment, User
from ..people import reach
from . import service


@dataclass(frozen=True)
class Holder:
    """A trainee of a cohort, with the course's current certificate if they hold one."""
    cohort: Cohort
    trainee: User
    course: Course
    current: Certificate | None


def managed_certificate(actor: User, code: str) -> Certificate:
    """The certificate when `actor` is an admin or teaches a cohort of its course in which its
    holder is enrolled; NotFound otherwise, exactly as for an unknown code."""
    certificate = service.by_code(code)
    if not service.may_manage(actor, certificate):
        raise NotFound("certificate")
    return certificate


def holder(actor: User, cohort_slug: str, user_id: int) -> Holder:
    """A trainee of a cohort `actor` teaches (any cohort for an admin), for issuing by hand."""
    found = db.session.execute(
        reach.managed_cohorts(actor).add_columns(User, Course)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Cohort.course_id)
        .where(Cohort.slug == cohort_slug, User.id == user_id, User.role == "trainee")).first()
    if found is None:
        raise NotFound("trainee")
    cohort, trainee, course = found
    return Holder(cohort, trainee, course, service.current_certificate(trainee, course))


def return_cohort(actor: User, certificate: Certificate) -> Cohort | None:
    """The cohort (of the certificate's course, holding its holder, seen by `actor`) whose
    trainee page the office pages link back to; None when there is none."""
    return db.session.scalar(
        reach.managed_cohorts(actor).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == certificate.user_id,
               Cohort.course_id == certificate.course_id)
        .order_by(Cohort.name, Cohort.id).limit(1))
