"""The error pages and their JSON twins: one message per status, a rollback for a failed write.
Below the features, so that a blueprint's own error handler can fall back on them."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from . import transaction
from .extensions import db
from .security import requests

ERROR_MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This action is not allowed here."),
    413: _l("The file or form you sent is too large."),
    429: _l("Too many attempts. Please wait a few minutes and try again."),
    500: _l("Something went wrong on our side. Your saved work is safe; please try again."),
    503: _l("The service is temporarily unavailable. Please try again shortly."),
}


def _error_response(code: int, description: str | None = None,
                    message: str | None = None) -> Any:
    message = message or str(ERROR_MESSAGES.get(code, ERROR_MESSAGES[500]))
    # app.js's background requests get a short JSON answer too (a refused autosave).
    if request.path.endswith(".json") or request.path == "/healthz" \
            or request.path.startswith("/api/") \
            or request.headers.get("X-Requested-With") == "fetch":
        return jsonify({"error": message, "status": code}), code
    return render_template("errors/error.html", code=code, message=message,
                           detail=description), code


def handle_http_error(error: HTTPException) -> Any:
    if request.method in transaction.WRITE_METHODS:
        db.session.rollback()  # an abort() keeps nothing of the request
    code = error.code or 500
    if isinstance(error, requests.InvalidCharacter):  # says what to fix
        return _error_response(code, message=str(error.description))
    detail = error.description if code == 400 and "CSRF" in str(error.description) else None
    return _error_response(code, detail)


def handle_unexpected(error: Exception) -> Any:
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _error_response(500)
