"""Request-wide wiring: security headers, write transactions, error pages, template helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from . import database, templating, transaction
from .extensions import db
from .security import headers, throttle
from .static_files import init_app as init_static

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


def _begin_request() -> None:
    if request.method in transaction.WRITE_METHODS:
        request.environ["course_app.write_token"] = database.write_intent.set(True)


def _end_request(_error: BaseException | None) -> None:
    token = request.environ.pop("course_app.write_token", None)
    if token is not None:
        database.write_intent.reset(token)


def _error_response(code: int, description: str | None = None) -> Any:
    message = str(ERROR_MESSAGES.get(code, ERROR_MESSAGES[500]))
    # app.js's background requests get a short JSON answer too (a refused autosave).
    if request.path.endswith(".json") or request.path == "/healthz" \
            or request.headers.get("X-Requested-With") == "fetch":
        return jsonify({"error": message, "status": code}), code
    return render_template("errors/error.html", code=code, message=message,
                           detail=description), code


def handle_http_error(error: HTTPException) -> Any:
    if request.method in transaction.WRITE_METHODS:
        db.session.rollback()  # an abort() keeps nothing of the request
    code = error.code or 500
    detail = error.description if code == 400 and "CSRF" in str(error.description) else None
    return _error_response(code, detail)


def handle_unexpected(error: Exception) -> Any:
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _error_response(500)


def init_app(app: Flask) -> None:
    # First of all hooks: the user loader's query already opens the request's transaction.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_request)
    app.teardown_request(_end_request)
    transaction.install(app)
    headers.init_app(app)
    throttle.init_app(app)
    init_static(app)
    templating.init_app(app)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
