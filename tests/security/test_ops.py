"""`flask check-deploy`, `flask backup` and `flask restore` (SECURITY.md 19, 21)."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.cli.ops import integrity_problems, row_counts
from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent
from course_app.security.deploy import check_deployment, default_workers

SAFE = {
    "ENV_NAME": "production", "DEBUG": False, "SECRET_KEY": secrets.token_urlsafe(48),
    "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True, "REMEMBER_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax", "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app@db/course", "PROXY_COUNT": 1,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "PUBLIC_URL": "https://hoc.example.vn",
}
ENVIRON = {"WEB_CONCURRENCY": "4"}


def ids(config, environ=ENVIRON) -> set[str]:
    return {f.id for f in check_deployment(config, environ)}


def test_a_safe_production_configuration_passes():
    assert check_deployment(SAFE, ENVIRON) == []


@pytest.mark.parametrize("change,finding", [
    ({"SECRET_KEY": None}, "security.E001"),
    ({"SECRET_KEY": "dev-only-not-secret"}, "security.E001"),
    ({"SECRET_KEY": "short-secret"}, "security.E001"),
    ({"SECRET_KEY": "ab" * 40}, "security.E001"),  # long, but two distinct characters
    ({"DEBUG": True}, "security.E002"),
    ({"ENV_NAME": "development"}, "security.E003"),
    ({"SESSION_COOKIE_SECURE": False}, "security.E004"),
    ({"SESSION_COOKIE_HTTPONLY": False}, "security.E004"),
    ({"SESSION_COOKIE_SAMESITE": None}, "security.E004"),
    ({"MAX_CONTENT_LENGTH": None}, "security.E005"),
    ({"MAX_CONTENT_LENGTH": 10 * 1024 ** 3}, "security.E005"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/course.db"}, "security.E006"),
    ({"PROXY_COUNT": None}, "security.E007"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "security.E008"),
])
def test_each_unsafe_setting_is_an_error(change, finding):
    findings = check_deployment({**SAFE, **change}, ENVIRON)
    assert finding in {f.id for f in findings}
    assert all(f.level == "error" for f in findings if f.id == finding)


def test_debug_from_the_environment_and_sqlite_with_one_worker():
    assert "security.E002" in ids(SAFE, {**ENVIRON, "FLASK_DEBUG": "1"})
    single = {**SAFE, "SQLALCHEMY_DATABASE_URI": "sqlite:////srv/course.db",
              "RATELIMIT_STORAGE_URI": "memory://"}
    assert ids(single, {"WEB_CONCURRENCY": "1"}) == {"security.W001"}  # a warning only
    assert "security.E006" in ids(single, {})  # gunicorn.conf.py's default is several workers
    assert default_workers(1) == 3 and default_workers(64) == 9


def test_command_exits_non_zero_on_errors(runner, app):
    result = runner.invoke(args=["check-deploy"])  # the test app is not production
    assert result.exit_code == 1
    assert "security.E003" in result.output and "security.E007" in result.output
    assert "error(s)" in result.output


def test_production_start_up_refusal_is_one_clear_line(tmp_path):
    from click.testing import CliRunner
    from flask.cli import cli

    result = CliRunner().invoke(cli, ["--app", "course_app", "check-deploy"], env={
        "COURSE_APP_ENV": "production", "COURSE_APP_SECRET_KEY": "",
        "COURSE_APP_DATABASE_URL": f"sqlite:///{tmp_path}/c.db", "FLASK_APP": None})
    assert result.exit_code == 1
    assert result.output.startswith("Error: COURSE_APP_SECRET_KEY must be set")
    assert "Traceback" not in result.output


def test_command_passes_on_a_safe_configuration(make_app, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    app = make_app(**{k: v for k, v in SAFE.items() if k not in ("SQLALCHEMY_DATABASE_URI",)},
                   TESTING=False)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_the_example_gunicorn_config_is_valid_and_pins_workers(monkeypatch):
    import runpy

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert settings["workers"] == 3 and settings["bind"].startswith("127.0.0.1:")
    assert settings["control_socket_disable"] is True


# --- backup and restore --------------------------------------------------------------------------

def _database_file(app) -> Path:
    return Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)


def _seed(rows: int = 40) -> None:
    with writing():
        db.session.add_all(AuditEvent(action="seed", details={"n": i}) for i in range(rows))
        db.session.commit()


def test_backup_writes_a_checked_copy(sqlite_app, tmp_path):
    _seed()
    out = tmp_path / "backup.db"
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output and "audit_event: 40" in result.output
    assert integrity_problems(out) == []
    assert row_counts(out) == row_counts(_database_file(sqlite_app))
    again = sqlite_app.test_cli_runner().invoke(args=["backup", str(out)])
    assert again.exit_code == 1 and "exists" in again.output  # never overwritten by accident
    assert not list(tmp_path.glob("*.partial"))


def _writer(path: Path, stop: threading.Event, committed: list[int], errors: list[str]) -> None:
    """Writes pairs of rows, each pair in one transaction, as fast as it can."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=30000")
    batch = 0
    try:
        while not stop.is_set():
            batch += 1
            connection.execute("BEGIN IMMEDIATE")
            for half in (1, 2):
                connection.execute(
                    "INSERT INTO audit_event (at, action, details) VALUES "
                    "(CURRENT_TIMESTAMP, 'pair', json_object('batch', ?, 'half', ?))",
                    (batch, half))
            connection.execute("COMMIT")
            committed.append(batch)
    except sqlite3.Error as error:
        errors.append(str(error))
    finally:
        connection.close()


def test_backup_is_consistent_under_write_load(sqlite_app, tmp_path):
    with writing():  # some bulk (about 16 MB), so the copy takes a while
        db.session.add_all(AuditEvent(action="bulk", details={"blob": secrets.token_hex(2048)})
                           for _ in range(4000))
        db.session.commit()
    path = _database_file(sqlite_app)
    stop, committed, errors = threading.Event(), [], []
    writer = threading.Thread(target=_writer, args=(path, stop, committed, errors))
    writer.start()
    try:
        while len(committed) < 20:  # the writer is running before the backup starts
            stop.wait(0.01)
        before = len(committed)
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.db")])
        during = len(committed) - before
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert errors == []  # the writer was never locked out by the backup
    assert during > 0  # and it kept committing while the copy was made
    copy = sqlite3.connect(tmp_path / "b.db")
    halves = copy.execute("SELECT json_extract(details, '$.batch'), count(*) FROM audit_event "
                          "WHERE action = 'pair' GROUP BY 1").fetchall()
    copy.close()
    assert all(count == 2 for _batch, count in halves)  # no half-written batch in the copy
    batches = sorted(batch for batch, _count in halves)
    assert batches == list(range(1, len(batches) + 1))  # a prefix: the state at one instant
    assert before <= len(batches) <= len(committed)
    assert integrity_problems(tmp_path / "b.db") == []


def test_restore_brings_back_the_backup_exactly(sqlite_app, tmp_path):
    _seed(30)
    out = tmp_path / "backup.db"
    runner = sqlite_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(out)]).exit_code == 0
    expected = row_counts(out)
    _seed(12)  # work done after the backup, lost by the restore
    with writing():
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id <= 5))
        db.session.commit()
    refused = runner.invoke(args=["restore", str(out)], input="n\n")
    assert refused.exit_code != 0 and row_counts(_database_file(sqlite_app)) != expected
    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    live = _database_file(sqlite_app)
    assert row_counts(live) == expected and integrity_problems(live) == []
    kept = list(tmp_path.glob("course.db.before-restore-*"))
    assert len(kept) == 1 and row_counts(kept[0])["audit_event"] == 37
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 30  # the app sees it


def test_restore_refuses_a_damaged_or_foreign_file(sqlite_app, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + secrets.token_bytes(8192))
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code == 1 and "not a course_app database" in result.output


def test_postgresql_gets_pg_dump_advice(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql://user:pa55word@db.example/course")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.dump")])
        restore = app.test_cli_runner().invoke(args=["restore", __file__, "--yes"])
    assert result.exit_code == 1 and "pg_dump --format=custom" in result.output
    assert "pa55word" not in result.output and "pg_restore" in restore.output
    assert not (tmp_path / "x.dump").exists()
