"""Sending the learning record to an LRS (COURSE_APP_XAPI_URL, its key and secret: HTTP basic).

The features call `lesson_read`, `attempt_started`, `attempt_submitted`,
`attempt_graded_by_hand`, `attempt_regraded` and `certificate_issued` inside their
transaction; each starts, once that transaction commits, a job (jobs/) that reads the rows,
builds the statements (domain/xapi.py) and POSTs them to `<COURSE_APP_XAPI_URL>statements`.
Nothing is started when the URL is unset. An LRS that is down or refuses makes the job fail:
the Redis queue retries it (JOBS_MAX_ATTEMPTS, growing delays) and keeps it in its failed-job
registry at the end; the trainee's action is already committed and never waits for the LRS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any

import sqlalchemy as sa
from flask import current_app

from .. import jobs
from ..domain import xapi
from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Quiz,
    User,
)
from ..models.types import utcnow


class LrsRefused(RuntimeError):
    """The LRS answered with an error status, or could not be reached."""


def enabled() -> bool:
    return bool(current_app.config.get("XAPI_URL"))


def _start(kind: str, **ids: int) -> None:
    if enabled():
        jobs.enqueue(deliver, kind=kind, at=utcnow().isoformat(), **ids)


def lesson_read(user_id: int, lesson_id: int) -> None:
    _start("lesson", user_id=user_id, object_id=lesson_id)


def attempt_started(attempt_id: int) -> None:
    _start("started", object_id=attempt_id)


def attempt_submitted(attempt_id: int) -> None:
    _start("graded", object_id=attempt_id)


def attempt_graded_by_hand(attempt_id: int) -> None:
    """The grade of an attempt that waited for a trainer is final: `passed` or `failed`."""
    _start("graded_by_hand", object_id=attempt_id)


def attempt_regraded(attempt_id: int) -> None:
    """A regrade changed a final grade: its new `passed` or `failed`, with the new score (a
    new statement: xAPI statements are never changed)."""
    _start("graded_by_hand", object_id=attempt_id)


def certificate_issued(certificate_id: int) -> None:
    _start("certificate", object_id=certificate_id)


def base_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or "http://localhost:5000").rstrip("/")


def opaque_id(user_id: int) -> str:
    """The trainee's name on the LRS: a keyed hash of the account id, stable while the secret
    key stays, that the LRS cannot turn back into the person (docs/integration.md)."""
    secret = str(current_app.config.get("XAPI_ACTOR_SECRET") or current_app.config["SECRET_KEY"])
    return hmac.new(secret.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _place(user_id: int, course: Course) -> xapi.Place:
    cohort = db.session.execute(
        sa.select(Cohort.slug, Cohort.name).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user_id, Cohort.course_id == course.id)
        .order_by(Cohort.archived, Enrolment.id.desc()).limit(1)).first()
    return xapi.Place(base_url(), course.slug, course.title,
                      cohort.slug if cohort else None, cohort.name if cohort else None)


def build(kind: str, object_id: int, at: str, user_id: int | None = None
          ) -> list[dict[str, Any]]:
    """The statements of one event, read from the database now (empty if the row is gone)."""
    from datetime import datetime

    when = datetime.fromisoformat(at)
    if kind == "lesson":
        lesson = db.session.get(Lesson, object_id)
        if lesson is None or user_id is None or db.session.get(User, user_id) is None:
            return []
        course = db.session.get_one(Course, lesson.course_id)
        who = xapi.actor(base_url(), opaque_id(user_id))
        read = db.session.get(LessonProgress, (user_id, lesson.id))
        return [xapi.lesson_experienced(who, _place(user_id, course), lesson.slug,
                                        lesson.title, read.read_at if read else when)]
    if kind in ("started", "graded", "graded_by_hand"):
        attempt = db.session.get(Attempt, object_id)
        if attempt is None:
            return []
        quiz = db.session.get_one(Quiz, attempt.quiz_id)
        course = db.session.get_one(Course, quiz.course_id)
        who = xapi.actor(base_url(), opaque_id(attempt.user_id))
        place = _place(attempt.user_id, course)
        if kind == "started":
            return [xapi.attempt_started(who, place, quiz.slug, quiz.title, attempt.id,
                                         attempt.started_at)]
        graded = xapi.attempt_graded(who, place, quiz.slug, quiz.title, attempt.id,
                                     attempt.submitted_at or when, attempt.status == "finished",
                                     attempt.score_raw, attempt.score_max, attempt.percent,
                                     quiz.pass_score)
        return graded[1:] if kind == "graded_by_hand" else graded
    if kind == "certificate":
        certificate = db.session.get(Certificate, object_id)
        if certificate is None:
            return []
        course = db.session.get_one(Course, certificate.course_id)
        who = xapi.actor(base_url(), opaque_id(certificate.user_id))
        return [xapi.certificate_earned(who, _place(certificate.user_id, course),
                                        certificate.code, certificate.issued_at)]
    raise ValueError(f"unknown xAPI event {kind!r}")


def post(statements: list[dict[str, Any]]) -> None:
    """POST the statements to the LRS; raise LrsRefused on any failure (the queue retries)."""
    url = str(current_app.config.get("XAPI_URL") or "")
    if not url.startswith(("https://", "http://")):
        raise LrsRefused("COURSE_APP_XAPI_URL must be an http(s) URL ending in /xAPI/")
    credentials = f"{current_app.config.get('XAPI_KEY') or ''}:" \
                  f"{current_app.config.get('XAPI_SECRET') or ''}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url.rstrip("/") + "/statements", method="POST",
        data=json.dumps(statements, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8",
                 "X-Experience-API-Version": xapi.VERSION,
                 "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()})
    timeout = float(current_app.config.get("XAPI_TIMEOUT_SECONDS") or 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace")
        raise LrsRefused(f"the LRS answered {error.code}: {detail}") from error
    except (urllib.error.URLError, OSError) as error:
        raise LrsRefused(f"the LRS could not be reached: {error}") from error


def deliver(kind: str, object_id: int, at: str, user_id: int | None = None) -> None:
    """The job: build the event's statements and send them (nothing when xAPI is off)."""
    if not enabled():
        return
    statements = build(kind, object_id, at, user_id)
    if statements:
        post(statements)
