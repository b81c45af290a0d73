"""The acceptance check of issue 8: a burst of 200 parallel wrong passwords to `gunicorn -w 4`
on 127.0.0.1, with the throttle's counts in Redis, is fully counted: exactly the per-account
limit of passwords is tried and every other attempt is refused with 429.

And issue 16's: the shipped gunicorn.conf.py loses no request while workers are recycled, on a
stock kernel (net.ipv4.tcp_migrate_req=0): with a listening socket per worker (`reuse_port`),
the connections queued on a recycled worker were reset."""

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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from course_app.database import writing
from course_app.extensions import db
from course_app.people import accounts

from ..helpers import PASSWORD, stop_server

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
EMAIL = "burst@example.vn"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one)")


def _request(port: int, method: str, path: str, body: str = "", cookie: str = "") -> tuple:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    finally:
        connection.close()


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)  # the server is still starting: nothing else to wait on
    raise AssertionError("gunicorn did not answer /healthz in time")


@pytest.fixture
def server(sqlite_app, tmp_path: Path) -> Iterator[int]:
    _redis_or_skip()
    with writing():
        accounts.create_user(EMAIL, "Nguyễn Văn Burst", "trainee", PASSWORD)
        db.session.commit()
    db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "COURSE_APP_DATABASE_URL": sqlite_app.config["DATABASE_URL"],
           "COURSE_APP_SECRET_KEY": secrets.token_urlsafe(48),
           "COURSE_APP_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
           "COURSE_APP_RATELIMIT_KEY_PREFIX": f"burst-{secrets.token_hex(8)}",
           "COURSE_APP_PROXY_COUNT": "0", "WEB_CONCURRENCY": "4", "GUNICORN_THREADS": "2",
           "GUNICORN_LOG_LEVEL": "warning"}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is a dependency of course_app"
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv
        [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
         "--access-logfile", os.devnull, "course_app:create_app()"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        stop_server(process)


def test_burst_of_200_wrong_passwords_to_four_workers_is_fully_counted(server: int):
    status, cookie, page = _request(server, "GET", "/login")
    assert status == 200
    token = TOKEN.search(page.decode()).group(1)
    session_cookie = cookie.split(";", 1)[0]

    def attempt(index: int) -> int:
        body = urlencode({"email": EMAIL, "password": f"wrong {index}!", "csrf_token": token})
        return _request(server, "POST", "/login", body, session_cookie)[0]

    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(attempt, range(200)))
    assert codes.count(401) == 10, codes  # the per-account limit, across all four workers
    assert codes.count(429) == 190
    right = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert _request(server, "POST", "/login", right, session_cookie)[0] == 429


def _start(tmp_path: Path, port: int, env: dict[str, str], *args: str) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is a dependency of course_app"
    return subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv
        [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
         "--access-logfile", os.devnull, *args, "course_app:create_app()"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_the_shipped_config_shares_one_socket():
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["reuse_port"] is False  # a worker that leaves never takes a queue with it
    assert settings["max_requests"] == 0  # no recycling stalls (measured with make bench)


def test_no_connection_is_reset_while_workers_are_recycled(sqlite_app, tmp_path: Path):
    """600 requests from 24 clients at once to the shipped configuration, its workers recycled
    every 20 to 25 requests (as a timeout, a crash or a reload replaces a worker; the shipped
    configuration does not recycle): all answered."""
    db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "COURSE_APP_DATABASE_URL": sqlite_app.config["DATABASE_URL"],
           "COURSE_APP_SECRET_KEY": secrets.token_urlsafe(48), "WEB_CONCURRENCY": "3",
           "GUNICORN_THREADS": "2", "GUNICORN_LOG_LEVEL": "warning"}
    process = _start(tmp_path, port, env, "--max-requests", "20", "--max-requests-jitter", "5")
    try:
        _wait_until_up(port, process)

        def fetch(_index: int) -> str:
            try:
                return str(_request(port, "GET", "/healthz")[0])
            except (OSError, http.client.HTTPException) as error:
                return type(error).__name__

        with ThreadPoolExecutor(max_workers=24) as pool:
            outcomes = list(pool.map(fetch, range(600)))
    finally:
        stop_server(process)
    assert outcomes.count("200") == 600, sorted(set(outcomes))
