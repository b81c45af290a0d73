"""Two app servers (gunicorn, on two ports of 127.0.0.1) share one PostgreSQL schema and one
Redis: a trainee's session, the answers of an open attempt and the sign-in throttle carry from
one to the other. Plain HTTP, one cookie jar, as a browser behind a load balancer.

On the SQLite run of the suite the test still uses the PostgreSQL server at 127.0.0.1:5432 (in a
schema of its own); without PostgreSQL or Redis it fails with a message saying what is missing."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis
from flask_migrate import upgrade

from course_app import create_app
from course_app.database import writing
from course_app.extensions import db
from course_app.people import accounts

from ..conftest import CONTENT
from ..helpers import PASSWORD, TOKEN, stop_server

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("COURSE_APP_TEST_DATABASE_URL",
                        "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = "redis://127.0.0.1:6379/0"
EMAIL = "hai-may@example.vn"
LOCKED_EMAIL = "khoa-tai-b@example.vn"  # its own account: the lockout never touches EMAIL
ACCOUNT_LIMIT = 3  # failed sign-ins per account before 429 (kept small for the test)

pytestmark = pytest.mark.slow


def _require_services() -> None:
    missing = []
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as error:
        missing.append(f"PostgreSQL at {PG_URL} ({error.__class__.__name__})")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        missing.append(f"Redis at {REDIS_URL} ({error.__class__.__name__})")
    if missing:
        pytest.fail("the two-server test needs a shared database and a shared throttle store: "
                    "cannot reach " + " and ".join(missing) + ". Start them (CI has both) or set "
                    "COURSE_APP_TEST_DATABASE_URL.", pytrace=False)


@dataclass
class Browser:
    """One cookie jar used against any of the servers."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str,
                form: dict[str, str] | list[tuple[str, str]] | None = None
                ) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name] = value
            return (response.status, response.getheader("Location") or "",
                    response.read().decode())
        finally:
            connection.close()

    def token(self, port: int, path: str = "/login") -> str:
        status, _, page = self.request(port, "GET", path)
        assert status == 200, (path, status)
        match = TOKEN.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare_schema(schema: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    app = create_app({"DATABASE_URL": PG_URL, "DATABASE_SCHEMA": schema,
                      "CONTENT_ROOT": str(CONTENT)})
    with app.app_context():
        upgrade(revision="heads")
        from course_app.catalog.content_loader import load_courses
        from course_app.content.package import read_package

        with writing():
            load_courses(read_package(CONTENT)[0])
            cohort = accounts.create_cohort("hai-may", "Lớp hai máy chủ", "demo")
            user = accounts.create_user(EMAIL, "Trần Thị Hai Máy", "trainee", PASSWORD)
            accounts.add_to_cohort(user, cohort)
            accounts.create_user(LOCKED_EMAIL, "Lê Văn Khóa", "trainee", PASSWORD)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _drop_schema(schema: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _environment(schema: str, prefix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_APP_")}
    env.update({
        "COURSE_APP_ENV": "production", "COURSE_APP_SECRET_KEY": secrets.token_urlsafe(48),
        "COURSE_APP_DATABASE_URL": PG_URL, "COURSE_APP_DATABASE_SCHEMA": schema,
        "COURSE_APP_RATELIMIT_STORAGE_URI": REDIS_URL,
        "COURSE_APP_PUBLIC_URL": "https://hoc.example.vn",
        "COURSE_APP_RATELIMIT_KEY_PREFIX": prefix,
        "COURSE_APP_LOGIN_LIMIT_PER_ACCOUNT": f"{ACCOUNT_LIMIT}/15 minutes",
        "COURSE_APP_CONTENT_ROOT": str(CONTENT), "COURSE_APP_PROXY_COUNT": "0",
        "COURSE_APP_DB_POOL_SIZE": "2", "COURSE_APP_DB_MAX_OVERFLOW": "2",
        "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "GUNICORN_LOG_LEVEL": "warning",
    })
    return env


def _start(port: int, env: dict[str, str], workdir: Path) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is a dependency of course_app"
    return subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv
        [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
         "--access-logfile", os.devnull, "course_app:create_app()"],
        cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            errors = server.stderr.read().decode() if server.stderr else ""
            raise AssertionError(f"gunicorn on {port} exited with {server.returncode}:\n{errors}")
        try:
            if Browser().request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)  # still starting: nothing else to wait on
    raise AssertionError(f"gunicorn on {port} did not answer /healthz in time")


def _clean_redis(prefix: str) -> None:
    store = redis.Redis.from_url(REDIS_URL)
    keys = list(store.scan_iter(match=f"*{prefix}*"))
    if keys:
        store.delete(*keys)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """Ports of server A and server B."""
    _require_services()
    tag = secrets.token_hex(4)
    schema, prefix = f"two_servers_{tag}", f"two-servers-{tag}"
    _prepare_schema(schema)
    env, workdir = _environment(schema, prefix), tmp_path_factory.mktemp("two-servers")
    ports = (_free_port(), _free_port())
    started = [_start(port, env, workdir) for port in ports]
    try:
        for port, server in zip(ports, started, strict=True):
            _wait_until_up(port, server)
        yield ports
    finally:
        for server in started:
            stop_server(server)
        _clean_redis(prefix)
        _drop_schema(schema)


def _signed_in(port: int) -> Browser:
    browser = Browser()
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": browser.token(port)}
    status, location, _ = browser.request(port, "POST", "/login", form)
    assert status == 302, status
    assert "/login" not in location
    return browser


def test_a_session_started_on_a_is_signed_in_on_b(servers: tuple[int, int]):
    a, b = servers
    assert Browser().request(b, "GET", "/")[0] == 302  # B sends strangers to sign in
    browser = _signed_in(a)
    status, _, page = browser.request(b, "GET", "/")
    assert status == 200
    assert "Trần Thị Hai Máy" in page


def test_answers_saved_on_a_show_on_b(servers: tuple[int, int]):
    a, b = servers
    browser = _signed_in(a)
    token = browser.token(a, "/courses/demo/quizzes/module-1")
    status, location, _ = browser.request(
        a, "POST", "/courses/demo/quizzes/module-1/attempts", {"csrf_token": token})
    assert status == 302 and re.search(r"/attempts/\d+$", location), (status, location)
    path = "/attempts/" + location.rsplit("/", 1)[1]
    token = browser.token(a, path)
    saved = browser.request(a, "POST", path, [("csrf_token", token), ("q-q4", "người dân B")])
    assert saved[0] in (200, 302), saved[0]
    status, _, page = browser.request(b, "GET", path)
    assert status == 200
    assert 'value="người dân B"' in page


def test_failed_sign_ins_on_a_lock_the_account_on_b(servers: tuple[int, int]):
    a, b = servers
    browser = Browser()
    token = browser.token(a)
    wrong = {"email": LOCKED_EMAIL, "password": "sai mật khẩu rồi!", "csrf_token": token}
    codes = [browser.request(a, "POST", "/login", wrong)[0] for _ in range(ACCOUNT_LIMIT)]
    assert codes == [401] * ACCOUNT_LIMIT
    right = {"email": LOCKED_EMAIL, "password": PASSWORD, "csrf_token": browser.token(b)}
    assert browser.request(b, "POST", "/login", right)[0] == 429
