"""Database engine tuning. SQLite gets WAL, a busy timeout, foreign keys and, for requests that
write, transactions that begin with BEGIN IMMEDIATE: a deferred read-then-write transaction fails
with "database is locked" under concurrent writers whatever the busy timeout. Within a process,
SQLite writers queue on a lock rather than on SQLite's busy handler (see _on_sqlite_begin)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.sql import Executable

from .extensions import db

write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)

# SQLite lets one transaction write at a time, and its busy handler waits by sleeping in steps of
# up to 100 ms: with 500 submissions at once, writers slept while the database was free (the
# burst took 56 s). Writers of this process queue on this lock instead and start the moment the
# previous one has finished; other processes (CLI commands) still meet the busy timeout.
_sqlite_writer = threading.Lock()
_HOLDS_WRITER = "course_app.sqlite_writer"
WRITER_WAIT_SECONDS = 30


@contextmanager
def writing() -> Iterator[None]:
    """Mark the work inside as a write transaction (BEGIN IMMEDIATE on SQLite)."""
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


def rows(statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
    """Run a plain (Core) SELECT on the session's connection. Session.execute wraps even such a
    statement in its ORM machinery, which cost twice the query itself on SQLite; the pages every
    trainee opens read their plain rows this way. Pending ORM changes are flushed first, as
    Session.execute would do (a no-op when there are none)."""
    db.session.flush()
    return db.session.connection().execute(statement, params)


def _json_dumps(value: Any) -> str:
    # Vietnamese text as UTF-8, not \uXXXX escapes: attempt snapshots are a fifth smaller and
    # read back twice as fast.
    return json.dumps(value, ensure_ascii=False)


def engine_options(url: str, schema: str | None = None, pool_size: int = 5,
                   max_overflow: int = 5) -> dict[str, Any]:
    if url.startswith("sqlite"):
        options: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False},
                                   "json_serializer": _json_dumps}
        if ":memory:" not in url and url.rstrip("/") != "sqlite:":
            # One connection per server thread, kept: a new one costs its PRAGMAs.
            options.update(pool_size=16, max_overflow=16)
        return options
    options = {"pool_size": pool_size, "max_overflow": max_overflow,
               "json_serializer": _json_dumps,
               # Whatever the server's default (SQLAlchemy's documented engine option).
               "isolation_level": "READ COMMITTED",
               # With psycopg, database_pg pings only connections that have rested a while.
               "pool_pre_ping": not url.startswith("postgresql+psycopg:")}
    if schema:  # one PostgreSQL database shared by several installations or test workers
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return options


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event, not the driver, open transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000",
                   "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    if not write_intent.get():
        connection.exec_driver_sql("BEGIN")
        return
    if not connection.info.get(_HOLDS_WRITER):
        # After the wait, go ahead anyway: SQLite's own timeout is then the judge.
        connection.info[_HOLDS_WRITER] = _sqlite_writer.acquire(timeout=WRITER_WAIT_SECONDS)
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release(connection.info)
        raise


def _release(info: dict[str, Any]) -> None:
    if info.pop(_HOLDS_WRITER, False):
        _sqlite_writer.release()


def _release_writer(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
    """Back in the pool (after COMMIT or ROLLBACK) or invalidated: the next writer may go."""
    if record is not None:
        _release(record.info)


PRIVATE_FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def private_sqlite_file(path: str) -> None:
    """The database file is the whole record (password hashes, answers): readable by the
    service's user only. Created empty with mode 0600 before SQLite opens it, so its -wal and
    -shm files, which SQLite creates with the main file's mode, are 0600 too; files made by an
    earlier version are narrowed."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.exists(path) and os.path.isdir(os.path.dirname(path) or "."):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    for suffix in SQLITE_SIDE_FILES:
        if os.path.exists(path + suffix):
            os.chmod(path + suffix, PRIVATE_FILE_MODE)


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            private_sqlite_file(engine.url.database or "")
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
            event.listen(engine.pool, "checkin", _release_writer)
            event.listen(engine.pool, "invalidate", _release_writer)
        elif engine.dialect.driver == "psycopg":
            from . import database_pg

            database_pg.install(engine)
