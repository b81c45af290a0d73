"""The read-only REST API under /api/v1/ (flask-smorest: the OpenAPI 3.1 document is written
from these views and their schemas). Every route wants an API key (auth.py) and reads only its
organisation's data (queries.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, g, jsonify
from flask_smorest import Blueprint
from werkzeug.exceptions import BadRequest, HTTPException

from ..domain.certificates import state
from ..models.types import utcnow
from ..security.access import access
from . import auth, cursor, queries
from . import schemas as s
from .progress import progress_of

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="Read-only data of the key's organisation, for personnel-office "
                           "systems. Lists are paged by cursor and can be limited to what "
                           "changed since a time (`updated_since`) for a nightly sync.")
bp.before_request(auth.authenticate)
bp.register_error_handler(HTTPException, auth.json_error)

ERRORS = ((400, "A query parameter is malformed; `errors` names it."),
          (401, "No API key, or an unknown or revoked one."),
          (403, "The key's organisation is archived."),
          (429, "The key's rate limit is used up; see Retry-After."))


def _documented(view: Callable[..., Any]) -> Callable[..., Any]:
    for status, text in ERRORS:
        view = bp.alt_response(status, schema=s.ApiError, description=text)(view)
    return view


def _listing(resource: str, args: dict[str, Any], fetch: Callable[..., list[Any]],
             render: Callable[[list[Any]], list[dict[str, Any]]],
             cohort_filter: bool = False) -> dict[str, Any]:
    org = g.api_organisation_id
    since: datetime | None = args.get("updated_since")
    extra = {"cohort": args.get("cohort")} if cohort_filter else {}
    filters = cursor.fingerprint(resource=resource, org=org, since=since, **extra)
    try:
        after = cursor.decode(args.get("cursor"), filters)
    except cursor.BadCursor as error:
        raise _bad("cursor", str(error)) from error
    limit = args["limit"]
    rows = fetch(org, since, after, limit, **extra)
    more = len(rows) > limit
    rows = rows[:limit]
    items = render(rows)
    last = items[-1]["id"] if items else after
    return {"items": items, "next_cursor": cursor.encode(last, filters) if more else None}


def _bad(parameter: str, message: str) -> HTTPException:
    error = BadRequest()
    error.data = {"errors": {parameter: [message]}}  # type: ignore[attr-defined]
    return error


def _at(row: Any, name: str) -> datetime:
    return getattr(row, name) or row.created_at


@bp.route("/organisations")
@access("api_key")
@bp.arguments(s.ListQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Organisation, "OrganisationPage"))
@_documented
def organisations(args: dict[str, Any]) -> dict[str, Any]:
    """The key's organisation (a list of one, paged like the others)"""
    return _listing("organisations", args, queries.organisations, lambda rows: [
        {"id": o.id, "slug": o.slug, "name": o.name, "archived": o.archived,
         "created_at": o.created_at, "updated_at": _at(o, "updated_at")}
        for (o,) in rows])


@bp.route("/courses")
@access("api_key")
@bp.arguments(s.ListQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Course, "CoursePage"))
@_documented
def courses(args: dict[str, Any]) -> dict[str, Any]:
    """Courses the organisation offers or delivers in its cohorts"""
    return _listing("courses", args, queries.courses, lambda rows: [
        {"id": c.id, "slug": c.slug, "title": c.title, "estimated_hours": c.estimated_hours,
         "archived": c.archived, "updated_at": c.updated_at} for (c,) in rows])


@bp.route("/cohorts")
@access("api_key")
@bp.arguments(s.ListQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Cohort, "CohortPage"))
@_documented
def cohorts(args: dict[str, Any]) -> dict[str, Any]:
    """The organisation's cohorts (training classes)"""
    return _listing("cohorts", args, queries.cohorts, lambda rows: [
        {"id": c.id, "slug": c.slug, "name": c.name, "course_id": c.course_id, "course": slug,
         "starts_on": c.starts_on, "ends_on": c.ends_on, "archived": c.archived,
         "created_at": c.created_at, "updated_at": _at(c, "updated_at")}
        for c, slug in rows])


def _trainees(rows: list[Any]) -> list[dict[str, Any]]:
    progress = progress_of({(user.id, cohort.course_id) for _, user, cohort in rows})
    items = []
    for enrolment, user, cohort in rows:
        done = progress[(user.id, cohort.course_id)]
        times = [t for t in (enrolment.created_at, user.updated_at, done["last_activity_at"])
                 if t]
        items.append({
            "id": enrolment.id, "user_id": user.id, "full_name": user.full_name,
            "email": user.email, "unit": user.unit, "position": user.position,
            "active": user.active, "cohort_id": cohort.id, "cohort": cohort.slug,
            "course_id": cohort.course_id, "enrolled_at": enrolment.created_at,
            "progress": done, "updated_at": max(times)})
    return items


@bp.route("/trainees")
@access("api_key")
@bp.arguments(s.CohortFilterQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Trainee, "TraineePage"))
@_documented
def trainees(args: dict[str, Any]) -> dict[str, Any]:
    """Trainees of the organisation's cohorts (one item per enrolment) with their progress"""
    return _listing("trainees", args, queries.trainees, _trainees, cohort_filter=True)


@bp.route("/attempts")
@access("api_key")
@bp.arguments(s.CohortFilterQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Attempt, "AttemptPage"))
@_documented
def attempts(args: dict[str, Any]) -> dict[str, Any]:
    """Quiz attempts and their grades, of the trainees of the organisation's cohorts"""
    return _listing("attempts", args, queries.attempts, lambda rows: [
        {"id": a.id, "user_id": a.user_id, "course_id": a.course_id, "quiz_id": a.quiz_id,
         "quiz": a.slug, "number": a.number, "status": a.status, "started_at": a.started_at,
         "submitted_at": a.submitted_at, "score": a.score_raw, "max_score": a.score_max,
         "percent": a.percent, "pass_score": a.pass_score,
         "passed": None if a.status != "finished" or a.percent is None
         else a.percent >= a.pass_score,
         "updated_at": a.updated_at or a.submitted_at or a.started_at} for a in rows],
        cohort_filter=True)


def _verify_url(code: str) -> str:
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}/verify/{code}"


@bp.route("/certificates")
@access("api_key")
@bp.arguments(s.ListQuery, location="query", error_status_code=400)
@bp.response(200, s.page_of(s.Certificate, "CertificatePage"))
@_documented
def certificates(args: dict[str, Any]) -> dict[str, Any]:
    """Certificates the organisation issued, with their status now"""
    now = utcnow()
    return _listing("certificates", args, queries.certificates, lambda rows: [
        {"id": c.id, "code": c.code, "user_id": c.user_id, "course_id": c.course_id,
         "status": state(c.status, c.expires_at, now), "holder_name": c.holder_name,
         "holder_unit": c.holder_unit, "course_title": c.course_title, "score": c.score,
         "hours": c.hours, "issued_at": c.issued_at, "expires_at": c.expires_at,
         "revoked_at": c.revoked_at, "verify_url": _verify_url(c.code),
         "updated_at": c.updated_at or c.revoked_at or c.issued_at} for (c,) in rows])


@bp.route("/openapi.json")
@access("api_key")
@bp.response(200, description="The OpenAPI 3.1 document of this API (JSON).")
@_documented
def openapi() -> Any:
    """This document"""
    return jsonify(current_app.extensions["course_app_api"].spec.to_dict())
