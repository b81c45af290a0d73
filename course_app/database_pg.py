"""PostgreSQL connections: checked before use only when they have rested a while.

SQLAlchemy's pool_pre_ping sends an empty query before every checkout: a fifth of a lesson
page's round trips to the server. A connection that was in use a moment ago is as alive as a
ping would show; one that has rested longer than PING_AFTER_IDLE_SECONDS (a restarted server,
a firewall that drops idle connections) is pinged, and replaced when the ping fails. Everything
else (transactions, isolation, commit and rollback) is SQLAlchemy's and psycopg's own, with the
engine options of database.engine_options. (docs/performance.md, "Third round".)"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

PING_AFTER_IDLE_SECONDS = 1.0
_RESTED_SINCE = "course_app.rested_since"  # in the pool record's info: when it was checked in


def _now() -> float:
    return time.monotonic()


def _rested(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RESTED_SINCE] = _now()


def install(engine: Engine, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ping a connection of `engine`'s pool at checkout when it has rested longer than
    `ping_after_idle` seconds (the engine is made without pool_pre_ping)."""
    dialect = engine.dialect

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if _now() - record.info.get(_RESTED_SINCE, 0.0) <= ping_after_idle:
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
    event.listen(engine.pool, "checkout", checkout)
