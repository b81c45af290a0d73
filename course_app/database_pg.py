"""PostgreSQL connections: read-only transactions end with COMMIT, so psycopg keeps its prepared
statements; and a connection is checked before use only when it has rested a while.

psycopg prepares a statement on the server once it has run five times on a connection, and then
skips the parsing and planning on every later run. But it forgets every prepared statement on
ROLLBACK (a rolled-back transaction may have dropped what they refer to), and every request ended
with one: the session rolls back what it did not commit, even when it only read. So nothing was
ever prepared, and the pages every trainee opens paid for parsing and planning each time.

A transaction that has only run SELECTs has nothing to undo: COMMIT ends it exactly as ROLLBACK
would. This module tracks, per connection, whether the open transaction has run anything else
(INSERT, UPDATE, DELETE, DDL, a savepoint, a statement it cannot classify) and ends it with a
real ROLLBACK then; a transaction in an error state is always rolled back.

SQLAlchemy's pool_pre_ping sends an empty query before every checkout: a fifth of a lesson
page's round trips to the server. A connection that was in use a moment ago is as alive as a ping
would show; one that has rested longer than PING_AFTER_IDLE_SECONDS (a restarted server, a
firewall that drops idle connections) is pinged, and replaced when the ping fails.
(docs/performance.md, "Third round".)"""

from __future__ import annotations

import time
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError

PING_AFTER_IDLE_SECONDS = 1.0
_WROTE = "course_app.wrote"  # in the pool record's info: the open transaction ran a non-SELECT
_RESTED_SINCE = "course_app.rested_since"  # in the pool record's info: when it was checked in


def _is_read(statement: str) -> bool:
    # "WITH" may hide an INSERT or UPDATE in a CTE: counted as a write, like everything else.
    return statement.lstrip()[:6].upper() == "SELECT"


def _note_statement(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not _is_read(statement):
        conn.info[_WROTE] = True


def _note_commit(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


def _read_only(connection: Any) -> bool:
    """True when `connection` (the pool's proxy) is in a healthy transaction that only read."""
    raw = getattr(connection, "dbapi_connection", None)
    try:
        info = connection.info
    except (AttributeError, NotImplementedError):  # the bare proxy of a first connect
        return False
    if raw is None or not isinstance(info, dict):
        return False
    wrote = info.pop(_WROTE, False)
    return not wrote and raw.info.transaction_status == TransactionStatus.INTRANS


def _now() -> float:
    return time.monotonic()


def _rested(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RESTED_SINCE] = _now()


def _ping_after_rest(engine: Engine, idle_seconds: float) -> None:
    dialect = engine.dialect

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if _now() - record.info.get(_RESTED_SINCE, 0.0) <= idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # The pool drops this connection and checks out another (a new one if need be).
                raise DisconnectionError(str(error)) from error
            raise

    event.listen(engine.pool, "connect", _rested)
    event.listen(engine.pool, "checkin", _rested)
    event.listen(engine.pool, "checkout", check)


def install(engine: Engine, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Make `engine` end read-only transactions with COMMIT and ping only connections that have
    rested longer than `ping_after_idle` seconds (PostgreSQL with psycopg only; the engine is
    made without pool_pre_ping)."""
    _ping_after_rest(engine, ping_after_idle)
    dialect = engine.dialect
    rollback = dialect.do_rollback

    def end_transaction(connection: Any) -> None:
        if _read_only(connection):
            connection.commit()
        else:
            rollback(connection)

    # Both the session's rollback and the pool's reset on check-in call the dialect's do_rollback.
    dialect.do_rollback = end_transaction  # type: ignore[method-assign]
    event.listen(engine, "before_cursor_execute", _note_statement)
    event.listen(engine, "commit", _note_commit)
