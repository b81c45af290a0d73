"""SQLite tuned for concurrent writers (SECURITY.md 20): WAL, busy timeout, foreign keys,
BEGIN IMMEDIATE for write requests; parallel writers never see "database is locked". The
parallel-writer test runs on PostgreSQL too when the suite does."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Enrolment, LessonProgress, User

from ..helpers import csrf
from .conftest import build_world, fast_login


def _pragma(name: str):
    return db.session.execute(sa.text(f"PRAGMA {name}")).scalar()


def test_every_connection_gets_the_pragmas(sqlite_app):
    for _ in range(2):  # a fresh pooled connection each time
        db.session.remove()
        db.engine.dispose()
        assert _pragma("journal_mode") == "wal"
        assert _pragma("foreign_keys") == 1
        assert _pragma("busy_timeout") >= 5000
        assert _pragma("synchronous") == 1  # NORMAL: durable with WAL, without an fsync a commit


def test_foreign_keys_are_enforced(sqlite_app):
    with writing(), pytest.raises(IntegrityError):
        db.session.add(Enrolment(cohort_id=424242, user_id=434343))
        db.session.flush()
    db.session.rollback()


def _begins(app, send) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        send(app.test_client())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_write_requests_begin_immediate_and_reads_do_not(sqlite_app):
    assert _begins(sqlite_app, lambda c: c.get("/login")) in ([], ["BEGIN"])
    posted = _begins(sqlite_app, lambda c: c.post("/login", data={
        "csrf_token": csrf(c, "/login"), "email": "nobody@example.vn", "password": "x" * 12}))
    assert posted and set(posted) == {"BEGIN IMMEDIATE"}


def test_cli_units_of_work_begin_immediate(sqlite_app):
    runner = sqlite_app.test_cli_runner()
    seen = _begins(sqlite_app, lambda _c: runner.invoke(args=["cohorts", "create", "lop-x",
                                                              "--name", "X", "--course", "none"]))
    assert "BEGIN IMMEDIATE" in seen


def test_a_deferred_read_then_write_fails_where_begin_immediate_waits(tmp_path: Path):
    """Why BEGIN IMMEDIATE: in WAL mode a reader that wants to write after another writer
    committed fails at once with SQLITE_BUSY, whatever the busy timeout."""
    path = tmp_path / "demo.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.executescript("PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER);")
    first = sqlite3.connect(path, timeout=5, isolation_level=None)
    second = sqlite3.connect(path, timeout=5, isolation_level=None)
    first.execute("BEGIN")
    first.execute("SELECT count(*) FROM t").fetchone()
    second.execute("INSERT INTO t VALUES (1)")  # another writer commits meanwhile
    with pytest.raises(sqlite3.OperationalError, match="locked|busy"):
        first.execute("INSERT INTO t VALUES (2)")
    first.execute("ROLLBACK")
    first.execute("BEGIN IMMEDIATE")
    first.execute("SELECT count(*) FROM t").fetchone()
    first.execute("INSERT INTO t VALUES (2)")
    first.execute("COMMIT")
    assert setup.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    for connection in (setup, first, second):
        connection.close()


@pytest.mark.parametrize("database", ["suite", "sqlite"])
def test_parallel_writers_never_fail(request, shared_hash, database):
    """24 trainees mark lessons read at the same moment (read, then write, then a certificate
    check): every request succeeds and every row is written, on SQLite and on the suite's
    database (PostgreSQL in CI's second run)."""
    if database == "sqlite":
        app = request.getfixturevalue("sqlite_app")
        from course_app.catalog.content_loader import load_courses
        from course_app.content.package import read_package

        from ..conftest import CONTENT

        with writing():
            load_courses(read_package(CONTENT)[0])
            db.session.commit()
    else:
        app = request.getfixturevalue("app")
        request.getfixturevalue("loaded")
    build_world(app, shared_hash)
    with writing():
        trainees = [User(email=f"t{i}@example.vn", full_name=f"Học viên {i}",
                         password_hash=shared_hash) for i in range(24)]
        db.session.add_all(trainees)
        db.session.flush()
        cohort_id = db.session.scalar(sa.text("SELECT id FROM cohort WHERE slug = 'lop-1'"))
        db.session.add_all(Enrolment(cohort_id=cohort_id, user_id=t.id) for t in trainees)
        db.session.commit()
    browsers = [fast_login(app.test_client(), t) for t in trainees]
    tokens = [csrf(b) for b in browsers]
    lessons = ("tong-quan", "doi-tuong")

    def read_lessons(index: int) -> list[int]:
        return [browsers[index].post(f"/courses/demo/lessons/{slug}/complete",
                                     data={"csrf_token": tokens[index]}).status_code
                for slug in lessons]

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = [code for codes in pool.map(read_lessons, range(24)) for code in codes]
    assert codes == [302] * 48
    db.session.rollback()
    written = db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress))
    assert written == 48


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_sqlite_files_are_readable_by_the_service_only(sqlite_template, tmp_path):
    """Issue 18 (extra): the database, its -wal and -shm files and a backup are mode 0600,
    whatever the umask; a file made world-readable by an earlier version is narrowed."""
    import os
    import shutil

    from course_app import create_app
    from course_app.cli.ops import copy_sqlite

    old_mask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.db"
        made = create_app({"DATABASE_URL": f"sqlite:///{fresh}", "DATABASE_SCHEMA": None})
        with made.app_context():
            db.session.execute(sa.text("SELECT 1"))
            db.session.remove()
            db.engine.dispose()
        assert _mode(fresh) == 0o600
        old = tmp_path / "old.db"
        shutil.copyfile(sqlite_template, old)
        old.chmod(0o644)
        app = create_app({"DATABASE_URL": f"sqlite:///{old}", "DATABASE_SCHEMA": None})
        assert _mode(old) == 0o600
        with app.app_context(), writing():
            db.session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            db.session.commit()
            side = [Path(f"{old}-wal"), Path(f"{old}-shm")]
            assert all(p.exists() for p in side) and {_mode(p) for p in side} == {0o600}
            db.engine.dispose()
        copy_sqlite(old, tmp_path / "backup.db")
        assert _mode(tmp_path / "backup.db") == 0o600
    finally:
        os.umask(old_mask)
