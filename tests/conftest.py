"""Fixtures: a fresh app on a fresh, migrated database per test (SQLite by default, PostgreSQL
when COURSE_APP_TEST_DATABASE_URL is set), factories, sign-in and a query counter."""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from course_app import create_app, jobs
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Cohort, User
from course_app.security import passwords

from .helpers import PASSWORD, sign_in

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"
PG_URL = os.environ.get("COURSE_APP_TEST_DATABASE_URL")
# How long a test's statement may wait for a lock: far above any real wait in a test, far below
# pytest-timeout, so a lock left held fails the waiting test with PostgreSQL's own message.
PG_LOCK_TIMEOUT = "60s"


def _worker() -> str:
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


def _application_name() -> str:
    """Every connection of one xdist worker (its servers and job workers too) carries this name,
    so the teardown can find the ones a failed test left behind."""
    return f"course_app_test_{_worker()}"


def _pg_url() -> str:
    assert PG_URL is not None
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}application_name={_application_name()}"


def _limit_lock_waits(_connection: Any, _record: Any) -> None:
    cursor = _connection.cursor()
    cursor.execute(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'")
    cursor.close()


def _migrate(config: dict[str, Any]) -> None:
    from flask_migrate import upgrade

    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Migrate once per session: a template SQLite file, or a PostgreSQL schema per worker."""
    if PG_URL:
        schema = f"test_{_worker()}"
        engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        config = {"DATABASE_URL": _pg_url(), "DATABASE_SCHEMA": schema}
        _migrate(config)
        return config
    template = tmp_path_factory.mktemp("db") / "template.db"
    _migrate({"DATABASE_URL": f"sqlite:///{template}"})
    return {"template": template}


def _truncate_all() -> None:
    """Empties every table for the next test. A connection that a failed test left inside a
    transaction (a thread, a server, a job worker) would block TRUNCATE for ever and stall the
    whole run: after a bounded wait it is ended, and the teardown reports the leak."""
    # The content generation's one row comes from the migration; it keeps counting instead.
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables
                       if t.name != "content_generation")
    truncate = sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    try:
        db.session.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
        db.session.execute(truncate)
        db.session.commit()
        return
    except sa.exc.OperationalError:
        db.session.rollback()
    ended = db.session.scalars(sa.text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE application_name = :name AND pid <> pg_backend_pid()"),
        {"name": _application_name()}).all()
    db.session.execute(truncate)
    db.session.commit()
    raise RuntimeError(f"this test left {len(ended)} database connection(s) holding locks; "
                       "they were ended so that the next tests can run")


@pytest.fixture
def app(database_template: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    config: dict[str, Any] = {
        "TESTING": True, "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "CONTENT_ROOT": str(CONTENT), "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_URL": "https://khoahoc.example.vn",
        # Off unless a test turns it on (tests/mail/): a background mail job would otherwise
        # run during other tests' query counts.
        "NOTIFY_EVENTS": False,
    }
    if PG_URL:
        config.update({k: v for k, v in database_template.items()})
    else:
        path = tmp_path / "course.db"
        shutil.copyfile(database_template["template"], path)
        config["DATABASE_URL"] = f"sqlite:///{path}"
    application = create_app(config)
    application.instance_path = str(tmp_path / "instance")
    if PG_URL:
        with application.app_context():
            sa.event.listen(db.engine, "connect", _limit_lock_waits)
            db.engine.dispose()  # a connection opened while the app was made has no limit yet

    @application.teardown_request
    def _fresh_globals(_error: BaseException | None) -> None:
        # The test keeps one app context open, so `g` would otherwise carry the signed-in user
        # and the CSRF token from one request to the next; a real server never does.
        for name in list(g):
            g.pop(name)
        db.session.remove()  # as at the end of a real request: no transaction stays open

    with application.app_context():
        yield application
        db.session.remove()
        # A job started in the background (a password batch, a mail) belongs to this test: it
        # finishes before the tables are emptied, or it would hold locks against the TRUNCATE
        # on PostgreSQL and write into the next test's rows.
        jobs.wait_in_process(timeout=120)
        if jobs.busy_in_process():
            raise RuntimeError("a background job of this test was still running after 120 s")
        if PG_URL:
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def loaded(app: Flask) -> Any:
    """The test course package, loaded."""
    from course_app.catalog.content_loader import load_courses
    from course_app.content.package import read_package

    courses, problems = read_package(CONTENT)
    assert not [p for p in problems if not p.warning], problems
    with writing():
        load_courses(courses)
        db.session.commit()
    return courses[0]


@functools.cache
def _password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def _known_hash(password: str) -> str:
    """A real full-strength hash of the tests' PASSWORD, made once per worker: every account
    made by make_user would otherwise pay ~0.1 s of argon2 (a fifth of the suite's time)."""
    return _password_hash() if password == PASSWORD else passwords.hash_password(password)


@pytest.fixture
def make_user(app: Flask) -> Any:
    from course_app.people import accounts

    counter = {"n": 0}

    def make(role: str = "trainee", email: str | None = None, name: str = "Nguyễn Thị Hằng",
             unit: str | None = "Sở Văn hóa", cohort: Cohort | None = None) -> User:
        counter["n"] += 1
        with writing(), mock.patch.object(accounts, "hash_password", _known_hash):
            user = accounts.create_user(email or f"{role}{counter['n']}@example.vn", name, role,
                                        PASSWORD, unit=unit)
            if cohort is not None:
                accounts.add_to_cohort(user, db.session.get(Cohort, cohort.id))
            db.session.commit()
        return user

    return make


@pytest.fixture
def cohort(loaded: Any) -> Cohort:
    from course_app.people import accounts

    with writing():
        made = accounts.create_cohort("lop-1", "Lớp 1", "demo")
        db.session.commit()
    return made


@pytest.fixture
def trainee(make_user: Any, cohort: Cohort) -> User:
    return make_user("trainee", email="hang@example.vn", cohort=cohort)


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    def login(user: User) -> FlaskClient:
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """Use as: with count_queries() as queries: ...; then len(queries)."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counting


# A test that failed and passed when run again (make test: --reruns 1) is still a fault to
# look at: its first failure is printed at the end of the run.
_FIRST_FAILURES: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.outcome == "rerun":
        _FIRST_FAILURES.append((report.nodeid, report.longreprtext[-4000:]))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIRST_FAILURES:
        terminalreporter.section("first failures of the tests run again")
        for nodeid, text in _FIRST_FAILURES:
            terminalreporter.write_line(f"--- {nodeid}\n{text}")
