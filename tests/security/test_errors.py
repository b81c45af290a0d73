"""No error response reveals a traceback, a SQL statement or a secret (SECURITY.md 18, issue 8),
and log lines cannot be forged with user-supplied text."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from course_app.extensions import db
from course_app.security.access import access
from course_app.security.logs import escape

from ..helpers import csrf

LEAKS = ("Traceback", "SELECT", "INSERT", "password_hash", "sqlalchemy", "sqlite3",
         "psycopg", 'File "', "hunter2", "OperationalError", "ZeroDivisionError")


def _crashing_routes(app) -> None:
    secret = app.config["SECRET_KEY"]

    def sql_error():
        raise OperationalError(f"SELECT password_hash FROM user WHERE email='x' -- {secret}",
                               {"password": "hunter2"}, Exception("database is locked"))

    def real_sql_error():
        db.session.execute(sa.text("SELECT password_hash FROM no_such_table"))

    def plain_error():
        raise ZeroDivisionError(f"secret {secret}")

    app.add_url_rule("/crash/any/<tail>", "crash_any",
                     access("public")(lambda tail: plain_error()))
    for name, view in (("sql", sql_error), ("realsql", real_sql_error), ("zero", plain_error)):
        app.add_url_rule(f"/crash/{name}", f"crash_{name}", access("public")(view))
        app.add_url_rule(f"/crash/{name}.json", f"crash_{name}_json", access("public")(view))


@pytest.mark.parametrize("path", ["/crash/sql", "/crash/realsql", "/crash/zero",
                                  "/crash/sql.json", "/crash/zero.json"])
def test_server_errors_reveal_nothing(app, client, path, caplog):
    _crashing_routes(app)
    with caplog.at_level(logging.ERROR):
        response = client.get(path)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    for leak in (*LEAKS, app.config["SECRET_KEY"]):
        assert leak not in body, leak
    assert "500" in body
    assert any("unhandled error" in r.getMessage() for r in caplog.records)  # logged instead


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/no/such/page", 404), ("GET", "/verify/unknown.json", 404),
    ("GET", "/logout", 405), ("POST", "/login", 400), ("GET", "/admin/users", 302),
    ("GET", "/attempts/not-a-number", 404), ("GET", "/%ff%fe", 404),
])
def test_client_errors_reveal_nothing(app, client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    for leak in (*LEAKS, app.config["SECRET_KEY"]):
        assert leak not in body, leak


def test_debug_is_off_and_errors_are_not_propagated_outside_tests(app):
    assert not app.debug
    assert app.config.get("PROPAGATE_EXCEPTIONS") in (None, False)


def test_a_sign_in_form_error_does_not_echo_the_password(client, trainee):
    token = csrf(client, "/login")
    response = client.post("/login", data={"email": trainee.email, "password": "hunter2-secret",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert "hunter2-secret" not in response.get_data(as_text=True)


def test_log_lines_cannot_be_forged(app, client, caplog):
    _crashing_routes(app)
    forged = "/crash/any/x%0d%0a2026-01-01 INFO admin signed in"
    with caplog.at_level(logging.ERROR):
        client.get(forged)
    messages = [r.getMessage() for r in caplog.records if "unhandled error" in r.getMessage()]
    assert messages and all("\n" not in m and "\r" not in m for m in messages)
    assert "x\\r\\n2026-01-01 INFO admin signed in" in messages[0]
    with caplog.at_level(logging.WARNING):
        app.logger.warning("login for %s", "eve\nINFO: admin logged in")
    assert caplog.records[-1].getMessage() == "login for eve\\nINFO: admin logged in"


def test_escape_handles_every_control_character():
    assert escape("a\x00b\x1bc\u2028d\x7f") == "a\\x00b\\x1bc\\u2028d\\x7f"
    assert escape(42) == 42 and escape("Nguyễn Thị Hằng") == "Nguyễn Thị Hằng"
