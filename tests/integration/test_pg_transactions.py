"""PostgreSQL connections (course_app/database_pg.py keeps only the ping of rested connections):
a connection that rested is pinged and replaced when dead, one in use a moment ago is not; and
transactions behave as SQLAlchemy's documentation says: writes are undone by a rollback, kept by
a commit, a locking read holds its lock until the end, the engine runs READ COMMITTED. Runs
against the PostgreSQL server at 127.0.0.1:5432 on both runs of the suite, in a schema of its
own."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from course_app import database_pg
from course_app.database import engine_options

PG_URL = os.environ.get("COURSE_APP_TEST_DATABASE_URL",
                        "postgresql://postgres@127.0.0.1:5432/postgres")
READ = sa.text("SELECT id, label FROM item WHERE id = :id")


@pytest.fixture
def engine() -> Iterator[Engine]:
    schema = f"pgtx_{secrets.token_hex(4)}"
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        connection.execute(sa.text(f"CREATE TABLE {schema}.item (id int PRIMARY KEY, label text)"))
        connection.execute(sa.text(f"INSERT INTO {schema}.item VALUES (1, 'first')"))
    # One connection, so that every transaction below runs on the same server session.
    made = sa.create_engine(url, pool_size=1, max_overflow=0,
                            connect_args={"options": f"-csearch_path={schema}"})
    database_pg.install(made)
    try:
        yield made
    finally:
        made.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def labels(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text("SELECT label FROM item ORDER BY id")).scalars())


@pytest.mark.parametrize("write", [
    "INSERT INTO item VALUES (2, 'second')",
    "UPDATE item SET label = 'changed'",
    "DELETE FROM item",
    "WITH made AS (INSERT INTO item VALUES (3, 'third') RETURNING id) SELECT id FROM made",
    "  insert into item values (4, 'lower case')",
])
def test_a_transaction_that_wrote_is_rolled_back(engine: Engine, write: str) -> None:
    with Session(engine) as session:
        session.execute(READ, {"id": 1})
        session.execute(sa.text(write))
        session.execute(READ, {"id": 1})  # reads after the write do not make it read-only
        session.rollback()
    assert labels(engine) == ["first"]


def test_a_write_rolled_back_at_check_in_is_undone_too(engine: Engine) -> None:
    session = Session(engine)
    session.execute(sa.text("INSERT INTO item VALUES (5, 'never')"))
    session.close()
    assert labels(engine) == ["first"]


def test_a_rolled_back_savepoint_and_a_failed_statement_leave_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        with session.begin_nested():
            session.execute(sa.text("INSERT INTO item VALUES (6, 'inner')"))
            session.rollback()
        with pytest.raises(sa.exc.DBAPIError):
            session.execute(sa.text("SELECT * FROM no_such_table"))
        session.rollback()
        assert session.execute(READ, {"id": 1}).one().label == "first"
    assert labels(engine) == ["first"]


def test_a_committed_write_stays(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(sa.text("INSERT INTO item VALUES (7, 'kept')"))
        session.commit()
    with Session(engine) as session:
        assert session.execute(READ, {"id": 7}).one().label == "kept"
    assert labels(engine) == ["first", "kept"]


def backend_pid(session: Session) -> int:
    return int(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move database_pg's clock `seconds` on: every connection in the pool has rested so long."""
    now = database_pg._now()
    monkeypatch.setattr(database_pg, "_now", lambda: now + seconds)


def test_a_connection_that_rested_is_pinged_and_replaced_when_dead(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with Session(engine) as session:
        first = backend_pid(session)
    killer = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with killer.begin() as connection:  # as a restarted server or a firewall would
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                                  {"pid": first}).scalar()
    killer.dispose()
    later(monkeypatch, database_pg.PING_AFTER_IDLE_SECONDS + 1)
    with Session(engine) as session:
        assert backend_pid(session) != first  # a new connection, and no error for the request


def test_a_connection_in_use_a_moment_ago_is_not_pinged(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pings: list[object] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or ping(conn))
    for _ in range(3):
        with Session(engine) as session:
            backend_pid(session)
    assert pings == []
    later(monkeypatch, 60)
    with Session(engine) as session:
        backend_pid(session)
    assert len(pings) == 1


# --- transactions as SQLAlchemy documents them ----------------------------------------------

def psycopg_of(session: Session) -> psycopg.Connection:
    return session.connection().connection.dbapi_connection  # type: ignore[return-value]


def test_a_locking_read_holds_its_lock_until_commit(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(READ, {"id": 1})  # in autocommit
        path = session.execute(sa.text("SHOW search_path")).scalar_one()
        session.execute(sa.text("SELECT id FROM item WHERE id = 1 FOR UPDATE"))
        raw = psycopg_of(session)
        assert raw.info.transaction_status == TransactionStatus.INTRANS
        with psycopg.connect(PG_URL, options=f"-csearch_path={path}") as other:
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("SELECT id FROM item WHERE id = 1 FOR UPDATE NOWAIT")
            other.rollback()
            session.commit()
            assert other.execute("SELECT id FROM item WHERE id = 1 FOR UPDATE NOWAIT").fetchone()


def test_writes_after_reads_are_one_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(READ, {"id": 1})
        session.execute(sa.text("INSERT INTO item VALUES (8, 'eight')"))
        session.execute(READ, {"id": 8})
        session.execute(sa.text("UPDATE item SET label = 'changed' WHERE id = 1"))
        with pytest.raises(sa.exc.IntegrityError):
            session.execute(sa.text("INSERT INTO item VALUES (8, 'twice')"))
        session.rollback()
    assert labels(engine) == ["first"]
    with Session(engine) as session:
        session.execute(READ, {"id": 1})
        session.execute(sa.text("INSERT INTO item VALUES (9, 'nine')"))
        session.execute(sa.text("UPDATE item SET label = 'changed' WHERE id = 1"))
        session.commit()
    assert labels(engine) == ["changed", "nine"]


def test_a_server_side_cursor_gets_its_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        result = session.execute(sa.text("SELECT id FROM item"),
                                 execution_options={"stream_results": True, "max_row_buffer": 1})
        assert psycopg_of(session).info.transaction_status != TransactionStatus.IDLE
        assert list(result.scalars()) == [1]


def test_the_apps_engine_runs_read_committed_whatever_the_server_default() -> None:
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    options = engine_options(url)
    options["connect_args"] = {"options": "-cdefault_transaction_isolation=serializable"}
    made = sa.create_engine(url, **options)
    database_pg.install(made)
    try:
        with Session(made) as session:
            level = session.execute(sa.text("SHOW transaction_isolation")).scalar_one()
            default = session.execute(sa.text("SHOW default_transaction_isolation")).scalar_one()
        assert (level, default) == ("read committed", "serializable")
    finally:
        made.dispose()
