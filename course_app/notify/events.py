"""Mails that follow what someone did: an essay graded, a certificate issued. `hooks` enqueues
these jobs after the commit of the grading or issuing request; each job records its event in
notification_sent first, so a job run twice mails once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..models import Attempt, Certificate, Course, Quiz, User
from . import messages, preferences

ESSAY_SUBJECT = _l("Your essay has been graded")
CERTIFICATE_SUBJECT = _l("Your certificate is ready")
REVOKED_SUBJECT = _l("Your certificate has been revoked")


def send_essay_graded(attempt_id: int, user_id: int, event: str) -> None:
    """The job: tell the trainee their attempt was graded by hand (one mail per grading)."""
    attempt = db.session.get(Attempt, attempt_id)
    user = db.session.get(User, user_id)
    if attempt is None or user is None or attempt.user_id != user.id or not user.active \
            or attempt.status != "finished":
        return
    quiz = db.session.get(Quiz, attempt.quiz_id)
    course = db.session.get(Course, quiz.course_id) if quiz else None
    if quiz is None or course is None:
        return
    if not preferences.claim(user.id, "essay_graded", f"attempt:{attempt.id}:{event}"):
        return
    messages.send(user, "notify_essay_graded", ESSAY_SUBJECT,
                  organisation_id=messages.cohort_organisation(user.id, course.id),
                  quiz_title=quiz.title, course_title=course.title, percent=attempt.percent,
                  passed=(attempt.percent or 0) >= quiz.pass_score,
                  link=mail.public_url("quiz.review", attempt_id=attempt.id))


def send_certificate_ready(certificate_id: int, code: str) -> None:
    """The job: tell the holder their certificate was issued, with its verify link."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.code != code or certificate.status != "valid":
        return
    user = db.session.get(User, certificate.user_id)
    if user is None or not user.active:
        return
    if not preferences.claim(user.id, "certificate", f"certificate:{certificate.id}"):
        return
    locale = mail.recipient_locale(user.locale)
    issuer = (certificate.issuer or {}).get(locale) or (certificate.issuer or {}).get("vi")
    messages.send(user, "notify_certificate", CERTIFICATE_SUBJECT,
                  organisation_id=certificate.organisation_id, sender=issuer or "",
                  course_title=certificate.course_title, issued_at=certificate.issued_at,
                  verify_link=mail.public_url("certificates.verify", code=certificate.code),
                  pdf_link=mail.public_url("certificates.pdf", code=certificate.code))


def send_certificate_revoked(certificate_id: int, code: str) -> None:
    """The job: tell the holder their certificate was revoked, why, and where it shows."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.code != code or certificate.status != "revoked":
        return
    user = db.session.get(User, certificate.user_id)
    if user is None or not user.active or \
            not preferences.claim(user.id, "certificate_revoked", f"certificate:{certificate.id}"):
        return
    locale = mail.recipient_locale(user.locale)
    issuer = (certificate.issuer or {}).get(locale) or (certificate.issuer or {}).get("vi")
    messages.send(user, "notify_certificate_revoked", REVOKED_SUBJECT,
                  organisation_id=certificate.organisation_id, sender=issuer or "",
                  course_title=certificate.course_title, revoked_at=certificate.revoked_at,
                  reason=certificate.revoke_reason,
                  verify_link=mail.public_url("certificates.verify", code=certificate.code))
