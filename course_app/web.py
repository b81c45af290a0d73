"""Request-wide wiring: security headers, write transactions, error pages, template helpers."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from . import database, templating, transaction
from .error_pages import handle_http_error, handle_unexpected
from .security import headers, requests, throttle
from .static_files import init_app as init_static


def _begin_request() -> None:
    if request.method in transaction.WRITE_METHODS:
        request.environ["course_app.write_token"] = database.write_intent.set(True)


def _end_request(_error: BaseException | None) -> None:
    token = request.environ.pop("course_app.write_token", None)
    if token is not None:
        database.write_intent.reset(token)


def init_app(app: Flask) -> None:
    # First of all hooks: the user loader's query already opens the request's transaction.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_request)
    app.teardown_request(_end_request)
    transaction.install(app)
    requests.init_app(app)  # before everything: NUL bytes never reach a view or the database
    headers.init_app(app)
    throttle.init_app(app)
    init_static(app)
    templating.init_app(app)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
