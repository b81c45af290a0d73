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
(docs/performance.md, "Third round".)

Nor does a plain SELECT need a BEGIN before it and a COMMIT after: under READ COMMITTED, the
isolation the app runs at, every statement of a transaction takes its own snapshot, so a SELECT
sees the same rows inside a transaction as outside one. Connections therefore rest in psycopg's
autocommit mode, and a page that only reads makes one round trip per query and none to begin
or end. The first statement that needs a transaction switches the connection out of autocommit,
so psycopg sends BEGIN before it, and everything from there to COMMIT or ROLLBACK is one
transaction, as before: a write of any kind, a savepoint, a SELECT that locks rows
(FOR UPDATE / FOR SHARE) or calls a function with side effects (nextval, advisory locks,
set_config, pg_notify), a server-side cursor. After COMMIT or ROLLBACK the connection rests in
autocommit again. (docs/performance.md, "Fourth round".)"""

from __future__ import annotations

import re
import time
from functools import lru_cache
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


# In a SELECT, what makes it need a transaction: row locks held until COMMIT, and functions
# whose effects must share the fate of the writes after them.
_NEEDS_TRANSACTION = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b"
    r"|\b(?:nextval|setval|pg_advisory\w*|set_config|pg_notify|lo_\w+)\s*\(",
    re.IGNORECASE)


def needs_transaction(statement: str, stream_results: bool = False) -> bool:
    """Whether `statement` must run inside a transaction (anything but a plain SELECT)."""
    return stream_results or _needs_transaction(statement)


@lru_cache(maxsize=1024)
def _needs_transaction(statement: str) -> bool:
    # Kept per statement: SQLAlchemy sends the same compiled strings again and again, and
    # searching a long one was 3 % of a lesson page.
    return not _is_read(statement) or _NEEDS_TRANSACTION.search(statement) is not None


def _raw(connection: Any) -> Any:
    """The psycopg connection behind a pool proxy (or the bare one on a first connect)."""
    return getattr(connection, "dbapi_connection", connection)


def _rest_in_autocommit(raw: Any) -> None:
    if raw is not None and not raw.autocommit and \
            raw.info.transaction_status == TransactionStatus.IDLE:
        raw.autocommit = True


def _before_execute(conn: Connection, _cursor: Any, statement: str, _parameters: Any,
                    context: Any, _executemany: bool) -> None:
    if not _is_read(statement):
        conn.info[_WROTE] = True
    raw = conn.connection.dbapi_connection
    stream = bool(context is not None and context.execution_options.get("stream_results"))
    if raw is not None and raw.autocommit and needs_transaction(statement, stream):
        raw.autocommit = False  # psycopg sends BEGIN before this statement


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

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        check(dbapi_connection, record, proxy)
        _rest_in_autocommit(dbapi_connection)

    event.listen(engine.pool, "connect", _rested)
    event.listen(engine.pool, "checkin", _rested)
    event.listen(engine.pool, "checkout", checkout)


def install(engine: Engine, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Make `engine` run plain SELECTs in autocommit, begin a transaction at the first statement
    that needs one, end read-only transactions with COMMIT, and ping only connections that have
    rested longer than `ping_after_idle` seconds (PostgreSQL with psycopg only; the engine is
    made without pool_pre_ping)."""
    _ping_after_rest(engine, ping_after_idle)
    dialect = engine.dialect
    rollback, commit = dialect.do_rollback, dialect.do_commit

    def end_transaction(connection: Any) -> None:
        # In autocommit with nothing begun, psycopg's commit and rollback send nothing.
        if _read_only(connection):
            connection.commit()
        else:
            rollback(connection)
        _rest_in_autocommit(_raw(connection))

    def commit_transaction(connection: Any) -> None:
        commit(connection)
        _rest_in_autocommit(_raw(connection))

    # Both the session's rollback and the pool's reset on check-in call the dialect's do_rollback.
    dialect.do_rollback = end_transaction  # type: ignore[method-assign]
    dialect.do_commit = commit_transaction  # type: ignore[method-assign]
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", _note_commit)
