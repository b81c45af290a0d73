"""Jobs on the real Redis queue (COURSE_APP_JOBS_URL) run by a real `flask jobs worker`: a
password-recovery mail waits on the queue until the worker delivers it; a job that keeps
failing is retried, then kept in the dead-letter list with everything needed to send it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from course_app.extensions import db
from course_app.jobs import queue
from course_app.models import PasswordResetToken

from . import smtp_server
from .test_password_recovery import _forgot, _link

REDIS_URL = os.environ.get("COURSE_APP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def jobs_redis(app: Flask, tmp_path: Path) -> Iterator[redis.Redis]:
    """The app queues its jobs on the real Redis, under keys of its own (one prefix per test)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set COURSE_APP_TEST_REDIS_URL)")
    app.config.update({"JOBS_URL": REDIS_URL, "JOBS_RETRY_SECONDS": 0, "JOBS_MAX_ATTEMPTS": 3,
                       "JOBS_KEY_PREFIX": f"course_app_test:{os.getpid()}:{tmp_path.name}"})
    yield client
    queue.clear(app)
    client.close()


def _key(app: Flask, part: str) -> str:
    return f"{app.config['JOBS_KEY_PREFIX']}:{part}"


def _worker_process(app: Flask) -> subprocess.CompletedProcess[str]:
    """`flask --app course_app jobs worker --burst` in its own process, configured as a server
    would be: by COURSE_APP_* variables."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSE_APP_ENV": "development"}
    for key in ("DATABASE_URL", "DATABASE_SCHEMA", "JOBS_URL", "JOBS_KEY_PREFIX", "MAIL_URL",
                "MAIL_SENDER", "SECRET_KEY", "PUBLIC_URL"):
        if app.config.get(key) is not None:
            env[f"COURSE_APP_{key}"] = str(app.config[key])
    return subprocess.run([sys.executable, "-m", "flask", "--app", "course_app", "jobs", "worker",
                           "--burst"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_queued_mail_is_sent_by_the_worker(app, client, make_user, smtp, wait_jobs,
                                             jobs_redis):
    make_user(email="giang@example.vn", name="Phạm Thu Giang")
    assert _forgot(client, "giang@example.vn").status_code == 200
    wait_jobs()
    # Nothing is sent by the web process: the mail waits on the queue.
    assert smtp.wait_for(1, timeout=0.5) == []
    assert jobs_redis.llen(_key(app, "queue")) == 1
    job = json.loads(jobs_redis.lindex(_key(app, "queue"), 0))
    assert job["name"] == "course_app.mail.transport:deliver"

    done = _worker_process(app)
    assert done.returncode == 0, done.stderr
    assert "ran 1 job(s)" in done.stdout
    [message] = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "giang@example.vn"
    assert "Phạm Thu Giang" in message.get_body(("plain",)).get_content()
    assert client.get(_link(message)).status_code == 200  # the mailed link works
    for part in ("queue", "processing", "delayed", "dead"):
        assert not jobs_redis.exists(_key(app, part)), part


def test_a_failing_job_is_retried_then_kept_in_the_dead_letter_list(
        app, client, make_user, wait_jobs, jobs_redis, runner, caplog: Any):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none"  # nobody
    app.config["MAIL_SENDER"] = "khoahoc@example.vn"
    make_user(email="hai@example.vn")
    _forgot(client, "hai@example.vn")
    wait_jobs()

    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "ran 3 job(s)" in result.output  # the first try and two retries
    assert jobs_redis.llen(_key(app, "queue")) == 0
    assert jobs_redis.llen(_key(app, "processing")) == 0
    [raw] = jobs_redis.lrange(_key(app, "dead"), 0, -1)
    dead = json.loads(raw)
    assert dead["attempts"] == 3 and "ConnectionRefusedError" in dead["error"]
    assert any("moved to" in record.getMessage() for record in caplog.records)
    # The request's work is kept: the token is stored, and the dead job still holds the mail.
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 1

    # Once the mail server is back, the dead job is sent as it was.
    controller, inbox = smtp_server.start("plain")
    try:
        app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}?tls=none"
        assert "1 job(s) back" in runner.invoke(args=["jobs", "retry-dead"]).output
        assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
        [message] = inbox.wait_for(1)
        assert message["To"].addresses[0].addr_spec == "hai@example.vn"
        assert client.get(_link(message)).status_code == 200
    finally:
        controller.stop()


def test_a_job_left_by_a_stopped_worker_is_run_by_the_next(app, jobs_redis, smtp):
    queue.put(app, "course_app.mail.transport:deliver", {"raw": b"To: x@example.vn\r\n\r\nhi"})
    # A worker took it and died before finishing.
    jobs_redis.lmove(_key(app, "queue"), _key(app, "processing"), "RIGHT", "LEFT")
    assert queue.work(app, burst=True) == 1
    [message] = smtp.wait_for(1)
    assert message["To"] == "x@example.vn"
    assert not jobs_redis.exists(_key(app, "processing"))


def test_the_worker_stops_on_sigterm(app, jobs_redis):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSE_APP_JOBS_URL": REDIS_URL,
           "COURSE_APP_JOBS_KEY_PREFIX": app.config["JOBS_KEY_PREFIX"],
           "COURSE_APP_DATABASE_URL": app.config["DATABASE_URL"]}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "course_app", "jobs",
                               "worker", "--poll", "0.2"], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30  # until it is started and waiting for jobs
        while not any(c.get("name") == f"worker:{_key(app, 'queue')}"
                      for c in jobs_redis.client_list()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.poll() is None
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=20)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "ran 0 job(s)" in out


def test_the_worker_needs_a_jobs_url(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "COURSE_APP_JOBS_URL" in result.output
