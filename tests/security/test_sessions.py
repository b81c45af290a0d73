"""Sessions and cookies (SECURITY.md 3, 4): a new session at sign-in, idle and absolute
lifetimes, no long-lived remember-me cookie, Secure cookies in production, an upload limit.
Cookie replay after logout, disable and password change: tests/web/test_auth.py and
tests/web/test_admin.py."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import session

from course_app import create_app
from course_app.config import ConfigurationError

from ..helpers import csrf, post, sign_in


def test_sign_in_starts_a_new_session(client, trainee):
    csrf(client, "/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"  # session fixation: a value set before sign-in
    sign_in(client, trainee.email)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == f"{trainee.id}:{trainee.session_version}"


def _age_session(client, **seconds_ago: int) -> None:
    now = int(time.time())
    with client.session_transaction() as state:
        for key, ago in seconds_ago.items():
            state[key] = now - ago


def test_idle_session_ends(app, client, trainee):
    sign_in(client, trainee.email)
    assert client.get("/").status_code == 200
    _age_session(client, seen=app.config["SESSION_IDLE_MINUTES"] * 60 + 5)
    assert client.get("/").status_code == 302


def test_session_ends_after_its_absolute_lifetime_even_when_active(app, client, trainee):
    sign_in(client, trainee.email)
    lifetime = int(app.config["PERMANENT_SESSION_LIFETIME"].total_seconds())
    _age_session(client, started=lifetime + 5, seen=10)
    assert client.get("/").status_code == 302


def test_lifetimes_are_bounded(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=12)
    assert app.config["SESSION_IDLE_MINUTES"] <= 120
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=1)


def test_no_remember_me_cookie_is_set(client, trainee):
    response = sign_in(client, trainee.email)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and not any(c.startswith("remember_token") for c in cookies)
    assert client.get_cookie("remember_token") is None


def test_session_cookie_is_httponly_and_lax(client, trainee):
    cookie = sign_in(client, trainee.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # bounded by PERMANENT_SESSION_LIFETIME, not "forever"


def _production(database_template, tmp_path, **extra):
    config = {"ENV_NAME": "production", "SECRET_KEY": "k" * 16 + "Z9#xq-Mw7" * 8,
              "DATABASE_URL": f"sqlite:///{tmp_path}/prod.db", "DATABASE_SCHEMA": None,
              "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_URL": "https://hoc.example.vn",
              **extra}
    return create_app(config)


def test_production_cookies_are_secure(database_template, tmp_path, monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    app = _production(database_template, tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.test_request_context("/"):
        session["x"] = 1
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret", "random-but-too-short-value"])
def test_production_refuses_a_weak_secret_key(database_template, tmp_path, secret):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        _production(database_template, tmp_path, SECRET_KEY=secret)


def test_production_refuses_sqlite_with_several_workers(database_template, tmp_path,
                                                        monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(ConfigurationError, match="SQLite"):
        _production(database_template, tmp_path)


def test_oversized_requests_are_refused_with_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert 0 < limit <= 64 * 1024 * 1024
    token = csrf(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "a@b.vn",
                                           "password": "x" * (limit + 1)})
    assert response.status_code == 413
    assert "Content-Security-Policy" in response.headers


def test_logout_is_post_only_and_needs_the_token(client, trainee):
    sign_in(client, trainee.email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
    assert post(client, "/logout").status_code == 302
    assert client.get("/").status_code == 302
