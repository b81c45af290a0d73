"""Certificates: issued by the server the moment the completion rule holds, exactly once per
trainee and course, with an unguessable code; verified publicly by that code."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Certificate, Cohort, Course, Enrolment, User, cohort_trainer
from ..models.types import utcnow
from . import audit
from .errors import NotFound
from .progress import course_progress

CODE_BYTES = 24  # 192 random bits, 32 URL-safe characters


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _expiry(course: Course, issued_at: datetime) -> datetime | None:
    months = (course.certificate or {}).get("validity_months")
    return add_months(issued_at, int(months)) if months else None


def issue_if_complete(user: User, course: Course) -> Certificate | None:
    """Issue the certificate when the course is complete and none was ever issued."""
    already = db.session.scalar(sa.select(Certificate.id).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id).limit(1))
    if already is not None or user.role != "trainee":
        return None
    progress = course_progress(user, course)
    if not progress.status.complete:
        return None
    return _issue(user, course, progress.status.average, reason=None, actor_id=None)


def _issue(user: User, course: Course, score: float | None, reason: str | None,
           actor_id: int | None) -> Certificate | None:
    now = utcnow()
    certificate = Certificate(
        code=new_code(), user_id=user.id, course_id=course.id, status="valid", issued_at=now,
        expires_at=_expiry(course, now), holder_name=user.full_name, holder_unit=user.unit,
        course_title=course.title, hours=course.estimated_hours, score=score,
        issue_reason=reason, issued_by_id=actor_id)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None  # a parallel request issued it first
    audit.record("certificate.issue", actor_id, f"certificate:{certificate.id}",
                 user_id=user.id, course=course.slug, automatic=actor_id is None)
    return certificate


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


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    status: str  # valid | revoked | expired | superseded


def verify(code: str) -> Verification:
    certificate = by_code(code)
    status = certificate.status
    if status == "valid" and certificate.expires_at and certificate.expires_at < utcnow():
        status = "expired"
    return Verification(certificate, status)


def issuer(course_certificate: dict, lang: str) -> str:
    configured = current_app.config.get(f"CERTIFICATE_ISSUER_{lang.upper()}")
    text = (course_certificate or {}).get("issuer") or {}
    return str(configured or text.get(lang) or text.get("vi") or "")


def teaches(trainer: User, trainee_id: int, course_id: int) -> bool:
    """True when the trainer teaches a cohort of the course in which the trainee is enrolled."""
    query = (sa.select(Cohort.id).join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id)
             .join(Enrolment, Enrolment.cohort_id == Cohort.id)
             .where(cohort_trainer.c.user_id == trainer.id, Enrolment.user_id == trainee_id,
                    Cohort.course_id == course_id).limit(1))
    return db.session.scalar(query) is not None


def may_download(user: User, certificate: Certificate) -> bool:
    if certificate.user_id == user.id or user.is_admin:
        return True
    return user.role == "trainer" and teaches(user, certificate.user_id, certificate.course_id)


def get_holder_and_course(certificate: Certificate) -> tuple[User, Course]:
    user, course = db.session.get(User, certificate.user_id), db.session.get(
        Course, certificate.course_id)
    if user is None or course is None:
        raise NotFound("certificate")
    return user, course
