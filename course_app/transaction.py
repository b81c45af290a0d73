"""One transaction per request, ended in one place.

A request that changes data (POST, PUT, PATCH, DELETE) commits once, after its view returned,
whatever the status: a view that wants nothing kept (a refused form) rolls back itself, and a
failed sign-in keeps its audit row although it answers 401. Any exception, including an
``abort()``, rolls back. GET and HEAD never write: a write attempted in one is an error in tests
and debugging and logged in production (the session is closed, unflushed, at the end). The CLI's
``unit_of_work`` and the job runner are the only other places that commit.

Work that must follow a commit and never a rollback (sending mail, starting a job) is handed to
``after_commit``: it runs once the transaction it was registered in has committed, and is
dropped when that transaction rolls back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_WROTE = "course_app.read_request_wrote"
_PENDING, _READY = "course_app.after_commit.pending", "course_app.after_commit.ready"


class ReadOnlyRequestWrote(RuntimeError):
    """A GET or HEAD request tried to write to the database."""


def _note_write(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any,
                _many: bool) -> None:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete) \
            and has_request_context() and request.method not in WRITE_METHODS:
        request.environ[_WROTE] = True


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` after the current transaction commits (see run_after_commit); never if
    it rolls back."""
    db.session.info.setdefault(_PENDING, []).append(callback)


def _committed(session: Session) -> None:
    session.info.setdefault(_READY, []).extend(session.info.pop(_PENDING, []))


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested:  # a savepoint's rollback leaves the outer transaction's work
        session.info.pop(_PENDING, None)


def run_after_commit() -> None:
    """Run the callbacks of every transaction committed so far; one that fails is logged and
    the others still run (the data they follow is committed whatever they do)."""
    ready = db.session.info.pop(_READY, [])
    for callback in ready:
        try:
            callback()
        except Exception:  # the commit stands; the failure is logged
            current_app.logger.exception("after-commit work failed")


def end_request(response: Response) -> Response:
    if request.method in WRITE_METHODS:
        db.session.commit()
        run_after_commit()
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
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_soft_rollback", _rolled_back)
    with app.app_context():
        engine = db.engine
        if not event.contains(engine, "before_cursor_execute", _note_write):
            event.listen(engine, "before_cursor_execute", _note_write)
