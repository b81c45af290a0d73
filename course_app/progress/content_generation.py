"""Moves the content generation on (models/generation.py) whenever a session writes course
content, whichever service does it: ORM changes are seen at flush, and UPDATE, INSERT and
DELETE statements on the content tables when the session executes them. The bump is part of
the writing transaction, so it commits or rolls back with the change itself."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from ..models import ContentGeneration, Course, Lesson, Media, Module, Question, Quiz
from ..models.generation import ROW_ID

CONTENT_MODELS = (Course, Module, Lesson, Quiz, Question, Media)
CONTENT_TABLES = frozenset(model.__tablename__ for model in CONTENT_MODELS)
# Set in session.info from the first content write until the transaction ends: such a session
# reads content that other processes cannot see yet, which must not go into a shared cache.
CHANGED = "course_app.content_changed"

GENERATION = (sa.select(ContentGeneration.value).where(ContentGeneration.id == ROW_ID)
              .scalar_subquery())
_BUMP = (sa.update(ContentGeneration).where(ContentGeneration.id == ROW_ID)
         .values(value=ContentGeneration.value + 1))


def changed_in(session: Session) -> bool:
    return bool(session.info.get(CHANGED))


def _bump(session: Session) -> None:
    session.info[CHANGED] = True
    # The session's own connection: no autoflush, and inside the flush's transaction.
    session.connection().execute(_BUMP)


def _writes_content(session: Session) -> bool:
    if any(isinstance(item, CONTENT_MODELS) for item in (*session.new, *session.deleted)):
        return True
    return any(isinstance(item, CONTENT_MODELS) and session.is_modified(item)
               for item in session.dirty)


def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    if _writes_content(session):
        _bump(session)


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in CONTENT_TABLES:
        _bump(state.session)


def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def install() -> None:
    """Listen on every session (idempotent: create_app runs once per app, tests make many)."""
    for name, listener in (("before_flush", _before_flush), ("do_orm_execute", _do_orm_execute),
                           ("after_transaction_end", _transaction_ended)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
