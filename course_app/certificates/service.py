"""Certificates: issued by the server the moment the completion rule holds, exactly once per
trainee and course, with an unguessable code; issued by hand, revoked and reissued by trainers
with a reason; verified publicly by that code. Every change is audited."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy.exc import IntegrityError

from .. import xapi
from ..domain import certificates as rules
from ..domain import certification
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import (
    Certificate,
    Course,
    Organisation,
    User,
)
from ..models.types import utcnow
from ..notify import hooks as notify
from ..people import audit
from ..progress.service import course_progress, is_enrolled
from . import issuers as issuing
from .completion import completion_status, may_be_complete, study_hours
from .issuers import issuer, issuer_names
from .permissions import may_certify, may_download, may_manage, teaches

# The rule's parts, read by tests and reports; the issuer's names, read by the PDF and badges.
__all__ = ["completion_status", "issuer", "issuer_names", "may_download", "may_manage",
           "study_hours", "teaches"]

CODE_BYTES = 24  # 192 random bits, 32 URL-safe characters
MAX_REASON = 500


def new_code() -> str:
    return rules.new_code(lambda: secrets.token_urlsafe(CODE_BYTES))


def add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _expiry(course: Course, issued_at: datetime) -> datetime | None:
    months = (course.certificate or {}).get("validity_months")
    return add_months(issued_at, int(months)) if months else None


def local_date(moment: datetime) -> date:
    """The calendar date where the certificate is issued (Asia/Ho_Chi_Minh by default)."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def public_base() -> str:
    """COURSE_APP_PUBLIC_URL, else the request's own root URL; no trailing slash."""
    base = current_app.config.get("PUBLIC_URL") or (
        request.url_root if has_request_context() else "")
    return str(base).rstrip("/")


def public_url(endpoint: str, **values: str) -> str:
    """The absolute URL of one of our routes, for QR codes, links and Open Badges ids."""
    return public_base() + current_app.url_map.bind("localhost").build(endpoint, values)


# ------------------------------------------------------------------------------ issuing

def evaluate(user: User, course: Course) -> Certificate | None:
    """The one place a certificate is issued automatically (domain/certification.py says
    when): called after every change that may complete a course (quiz/closing.py for every
    attempt closed or regraded, learn for a lesson read). Returns the new certificate, if any;
    never withdraws one."""
    if user.role != "trainee" or not may_be_complete(user, course):
        return None
    status = completion_status(user, course)
    if not certification.should_issue(is_trainee=True, already_issued=False,
                                      rule_holds=status.complete):
        return None
    certificate = _issue(user, course, status.average, reason=None, actor_id=None)
    if certificate is not None:  # the certificate states that the capstone was assessed
        certificate.capstone_assessed = status.capstone_assessed
    return certificate


issue_if_complete = evaluate  # the earlier name, kept for callers outside the package


def _new_certificate(user: User, course: Course, score: float | None, reason: str | None,
                     actor_id: int | None) -> Certificate:
    now = utcnow()
    organisation = issuing.cohort_organisation(user.id, course.id)
    return Certificate(
        code=new_code(), user_id=user.id, course_id=course.id, status="valid", issued_at=now,
        expires_at=_expiry(course, now), holder_name=user.full_name, holder_unit=user.unit,
        course_title=course.title, hours=course.estimated_hours, score=score,
        issue_reason=reason, issued_by_id=actor_id,
        issuer=issuing.issuer_for(organisation, course),
        organisation_id=organisation.id if organisation else None)


def _issue(user: User, course: Course, score: float | None, reason: str | None,
           actor_id: int | None) -> Certificate | None:
    certificate = _new_certificate(user, course, score, reason, actor_id)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None  # a parallel request issued it first
    audit.record("certificate.issue", actor_id, f"certificate:{certificate.id}",
                 user_id=user.id, course=course.slug, automatic=reason is None, reason=reason)
    notify.certificate_issued(certificate)  # mailed after the commit
    xapi.certificate_issued(certificate.id)
    return certificate


def _clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ServiceError("reason_required", "a reason is required")
    if len(text) > MAX_REASON:
        raise ServiceError("reason_too_long", f"the reason is longer than {MAX_REASON} characters")
    return text


def current_certificate(user: User, course: Course) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id,
        Certificate.status == "valid"))


def issue_manually(trainee: User, course: Course, reason: str, actor: User | None) -> Certificate:
    """A trainer certifies a trainee by hand (e.g. attendance in person). `actor` None: the CLI."""
    reason = _clean_reason(reason)
    if actor is not None and not may_certify(actor, trainee, course):
        raise NotFound("trainee")
    if trainee.role != "trainee":
        raise ServiceError("not_trainee", f"{trainee.email} is not a trainee")
    if not is_enrolled(trainee, course.id):
        raise ServiceError("not_enrolled", f"{trainee.email} is not enrolled in {course.slug}")
    if current_certificate(trainee, course) is not None:
        raise ServiceError("already_certified", f"{trainee.email} already holds a valid "
                           f"certificate of {course.slug} (reissue it instead)")
    score = course_progress(trainee, course).status.average
    certificate = _issue(trainee, course, score, reason, actor.id if actor else None)
    if certificate is None:
        raise ServiceError("already_certified", f"{trainee.email} was certified meanwhile")
    return certificate


# ------------------------------------------------------------------------------ revoke, reissue

def _check_changeable(certificate: Certificate, actor: User | None) -> None:
    if actor is not None and not may_manage(actor, certificate):
        raise NotFound("certificate")
    if certificate.status == "revoked":
        raise ServiceError("already_revoked", "the certificate was revoked; a revoked "
                           "certificate stays revoked (issue a new one if needed)")
    if certificate.status == "superseded":
        raise ServiceError("superseded", "the certificate was replaced by a newer one; "
                           "change the newer one")


def _leave_valid(certificate: Certificate, **values: object) -> None:
    """Atomically move a valid certificate to another status: a parallel change loses."""
    result = db.session.execute(
        sa.update(Certificate).where(Certificate.id == certificate.id,
                                     Certificate.status == "valid").values(**values))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError("changed_meanwhile", "the certificate was changed meanwhile")


def revoke(certificate: Certificate, reason: str, actor: User | None) -> Certificate:
    reason = _clean_reason(reason)
    _check_changeable(certificate, actor)
    _leave_valid(certificate, status="revoked", revoked_at=utcnow(), revoke_reason=reason)
    db.session.refresh(certificate)
    audit.record("certificate.revoke", actor.id if actor else None,
                 f"certificate:{certificate.id}", user_id=certificate.user_id,
                 course_id=certificate.course_id, reason=reason)
    notify.certificate_revoked(certificate)
    return certificate


def reissue(certificate: Certificate, reason: str, actor: User | None) -> Certificate:
    """A new certificate with a new code and today's date, with the holder's current name and
    unit; the old one shows as superseded and links to the new one."""
    reason = _clean_reason(reason)
    _check_changeable(certificate, actor)
    user, course = get_holder_and_course(certificate)
    _leave_valid(certificate, status="superseded")
    replacement = _new_certificate(user, course, certificate.score, reason,
                                   actor.id if actor else None)
    replacement.capstone_assessed = certificate.capstone_assessed
    db.session.add(replacement)
    db.session.flush()
    db.session.refresh(certificate)
    certificate.superseded_by_id = replacement.id
    db.session.flush()
    audit.record("certificate.reissue", actor.id if actor else None,
                 f"certificate:{replacement.id}", replaces=certificate.id, user_id=user.id,
                 course=course.slug, reason=reason)
    notify.certificate_issued(replacement)
    return replacement


# ------------------------------------------------------------------------------ reading

def certificates_of(user: User) -> list[Certificate]:
    return list(db.session.scalars(sa.select(Certificate).where(
        Certificate.user_id == user.id).order_by(Certificate.issued_at.desc())))


def by_code(code: str) -> Certificate:
    certificate = None
    if 16 <= len(code) <= 64:
        certificate = db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
    if certificate is None:
        raise NotFound("certificate")
    return certificate


class HasState(Protocol):
    status: str
    expires_at: datetime | None


def status_of(certificate: HasState, now: datetime | None = None) -> str:
    """valid | revoked | superseded | expired (a valid certificate past its validity): what
    /verify, the PDF stamp, the dashboards and the exports say (domain.certificates.state)."""
    return rules.state(certificate.status, certificate.expires_at, now or utcnow())


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    status: str  # valid | revoked | expired | superseded
    replacement: Certificate | None  # the newer certificate of a superseded one
    issuer: dict[str, str]
    organisation: Organisation | None = None  # the issuing organisation, if any
    logo: issuing.ImageRef | None = None  # the logo it was issued with (no bytes)
    signed_by: issuing.Signatory | None = None  # as issued, without the images


def verify(code: str) -> Verification:
    certificate = by_code(code)
    replacement = None
    if certificate.superseded_by_id is not None:
        replacement = db.session.get(Certificate, certificate.superseded_by_id)
    return Verification(certificate, status_of(certificate), replacement,
                        issuer_names(certificate), *issuing.issuing_organisation(certificate),
                        signed_by=issuing.signatory(certificate, images=False))


def get_holder_and_course(certificate: Certificate) -> tuple[User, Course]:
    user, course = db.session.get(User, certificate.user_id), db.session.get(
        Course, certificate.course_id)
    if user is None or course is None:
        raise NotFound("certificate")
    return user, course
