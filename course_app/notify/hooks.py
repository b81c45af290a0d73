"""The lines grading and certificates call: each enqueues a mail job that starts only once the
request (command, job) commits, so a rolled-back request sends nothing. NOTIFY_EVENTS = False
(the test suite's default) turns these mails off."""

from __future__ import annotations

from flask import current_app

from .. import jobs
from ..models import Attempt, Certificate
from ..models.types import utcnow
from . import events


def _on() -> bool:
    return bool(current_app.config.get("NOTIFY_EVENTS", True))


def essay_graded(attempt: Attempt) -> None:
    """A trainer graded an attempt by hand; mailed when nothing of it waits any more."""
    if _on() and attempt.status == "finished":
        jobs.enqueue(events.send_essay_graded, attempt_id=attempt.id, user_id=attempt.user_id,
                     event=utcnow().strftime("%Y%m%dT%H%M%S%f"))


def certificate_issued(certificate: Certificate) -> None:
    if _on():
        jobs.enqueue(events.send_certificate_ready, certificate_id=certificate.id,
                     code=certificate.code)


def certificate_revoked(certificate: Certificate) -> None:
    if _on():
        jobs.enqueue(events.send_certificate_revoked, certificate_id=certificate.id,
                     code=certificate.code)
