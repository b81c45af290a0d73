"""Every /api/v1/ request: an API key (`Authorization: Bearer <key>`), then its rate limit.
Answers 401 (no key, an unknown or revoked one) or 429 (the key's limit is used up) as JSON,
before any view runs. The key's organisation is `g.api_organisation_id` for the views.

The limit counts every request of a key, per key, in the storage of sign-in throttling
(COURSE_APP_RATELIMIT_STORAGE_URI: Redis in production, so every worker shares the count)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, jsonify, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import HTTPException

from ..models.types import utcnow
from . import keys

_LIMITER = "course_app_api_limiter"


def error(status: int, name: str, message: str, **extra: Any) -> Any:
    response = jsonify({"code": status, "status": name, "message": message, **extra})
    response.status_code = status
    return response


def _unauthorised(message: str) -> Any:
    response = error(401, "Unauthorized", message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="course_app API"'
    return response


def authenticate() -> Any:
    """The blueprint's before_request: None lets the view run."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorised("An API key is required: Authorization: Bearer <key>.")
    key = keys.authenticate(token.strip())
    if key is None:
        return _unauthorised("This API key is unknown or revoked.")
    if keys.organisation_archived(key):
        return error(403, "Forbidden", "This key's organisation is archived: its data is "
                                       "no longer served.")
    limiter, limit = current_app.extensions[_LIMITER]
    if not limiter.hit(limit, "api-key", str(key.id)):
        reset, _remaining = limiter.get_window_stats(limit, "api-key", str(key.id))
        response = error(429, "Too Many Requests",
                         f"This key's limit ({current_app.config['API_RATE_LIMIT']}) is used "
                         "up; try again later.")
        response.headers["Retry-After"] = str(max(1, int(reset - utcnow().timestamp())))
        return response
    g.api_key_id = key.id
    g.api_organisation_id = key.organisation_id
    try:
        keys.note_use(key, utcnow())
    except Exception:  # the job queue is down: the request is still answered
        current_app.logger.exception("could not record the use of API key %s", key.prefix)
    current_app.logger.info("api %s %s key=%s", request.method, request.full_path, key.prefix)
    return None


def json_error(exception: HTTPException) -> Any:
    """Every error of the API as JSON (flask-smorest's shape), with what was wrong per
    parameter for a 400."""
    data = getattr(exception, "data", None) or {}
    extra: dict[str, Any] = {}
    messages = data.get("messages") or data.get("errors")
    if messages:
        # webargs nests the messages by location ({"query": {"limit": [...]}})
        extra["errors"] = messages.get("query", messages) if isinstance(messages, dict) \
            else messages
    status = exception.code or 500
    message = data.get("message") or exception.description or exception.name
    if extra.get("errors"):
        message = "Invalid parameter: " + ", ".join(sorted(map(str, extra["errors"]))) + "."
    return error(status, exception.name, str(message), **extra)


def init_app(app: Flask) -> None:
    uri = app.config["RATELIMIT_STORAGE_URI"]
    options = {"key_prefix": app.config.get("RATELIMIT_KEY_PREFIX", "course_app")} \
        if uri.startswith(("redis", "valkey")) else {}
    limiter = MovingWindowRateLimiter(storage_from_string(uri, **options))
    app.extensions[_LIMITER] = (limiter, parse(app.config["API_RATE_LIMIT"]))
