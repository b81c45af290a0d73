"""One transaction per request, ended in one place.

A request that changes data (POST, PUT, PATCH, DELETE) commits once, after its view returned,
whatever the status: a view that wants nothing kept (a refused form) rolls back itself, and a
failed sign-in keeps its audit row although it answers 401. Any exception, including an
``abort()``, rolls back. GET and HEAD never write: a write attempted in one is an error in tests
and debugging and logged in production (the session is closed, unflushed, at the end). The CLI's
``unit_of_work`` and the job runner are the only other places that commit."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, has_request_context, request
from sqlalchemy import event

from .extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_WROTE = "course_app.read_request_wrote"


class ReadOnlyRequestWrote(RuntimeError):
    """A GET or HEAD request tried to write to the database."""


def _note_write(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any,
                _many: bool) -> None:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete) \
            and has_request_context() and request.method not in WRITE_METHODS:
        request.environ[_WROTE] = True


def end_request(response: Response) -> Response:
    if request.method in WRITE_METHODS:
        db.session.commit()
        return response
    # The read transaction ends with the app context (Flask-SQLAlchemy closes the session).
    if request.environ.pop(_WROTE, False):
        message = f"{request.method} {request.path} tried to write to the database"
        if current_app.testing or current_app.debug:
            raise ReadOnlyRequestWrote(message)
        current_app.logger.error(message)
    return response


def install(app: Flask) -> None:
    app.after_request(end_request)
    with app.app_context():
        engine = db.engine
        if not event.contains(engine, "before_cursor_execute", _note_write):
            event.listen(engine, "before_cursor_execute", _note_write)
