"""Jobs on the real Redis queue (COURSE_APP_JOBS_URL, RQ) run by a real `flask jobs worker`: a
password-recovery mail waits on the queue until the worker delivers it; a job that keeps
failing is retried, then kept in RQ's failed-job registry with its error; a worker killed
mid-job leaves the job for the next one and nothing half-done."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import rq
import sqlalchemy as sa
from flask import Flask
from rq.registry import FailedJobRegistry, StartedJobRegistry

from course_app.extensions import db
from course_app.jobs import queue
from course_app.models import PasswordResetToken

from . import smtp_server
from .test_password_recovery import _forgot, _link

REDIS_URL = os.environ.get("COURSE_APP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def jobs_redis(app: Flask, tmp_path: Path) -> Iterator[redis.Redis]:
    """The app queues its jobs on the real Redis, on a queue of its own (one per test)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set COURSE_APP_TEST_REDIS_URL)")
    app.config.update({"JOBS_URL": REDIS_URL, "JOBS_RETRY_SECONDS": 0, "JOBS_MAX_ATTEMPTS": 3,
                       "JOBS_QUEUE": f"course_app_test.{os.getpid()}.{tmp_path.name}"})
    yield client
    queue.clear(app)
    client.close()


def waiting(app: Flask, client: redis.Redis) -> list[rq.job.Job]:
    """The jobs waiting on the app's queue, first in first."""
    return queue.get_queue(app, client).get_jobs()


def job_data(client: redis.Redis, job: rq.job.Job) -> list[object]:
    """What RQ stored of the call: JSON (never a pickle): function, instance, args, kwargs."""
    return json.loads(zlib.decompress(client.hget(job.key, "data")))


def _worker_env(app: Flask) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSE_APP_ENV": "development"}
    for key in ("DATABASE_URL", "DATABASE_SCHEMA", "JOBS_URL", "JOBS_QUEUE", "JOBS_MAX_ATTEMPTS",
                "JOBS_RETRY_SECONDS", "MAIL_URL", "MAIL_SENDER", "SECRET_KEY", "PUBLIC_URL"):
        if app.config.get(key) is not None:
            env[f"COURSE_APP_{key}"] = str(app.config[key])
    return env


WORKER = [sys.executable, "-m", "flask", "--app", "course_app", "jobs", "worker"]


def _worker_process(app: Flask) -> subprocess.CompletedProcess[str]:
    """`flask --app course_app jobs worker --burst` in its own process, configured as a server
    would be: by COURSE_APP_* variables."""
    return subprocess.run([*WORKER, "--burst"], env=_worker_env(app), cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_queued_mail_is_sent_by_the_worker(app, client, make_user, smtp, wait_jobs,
                                             jobs_redis):
    make_user(email="giang@example.vn", name="Phạm Thu Giang")
    assert _forgot(client, "giang@example.vn").status_code == 200
    wait_jobs()
    # Nothing is sent by the web process: the mail waits on the queue.
    assert smtp.wait_for(1, timeout=0.5) == []
    [job] = waiting(app, jobs_redis)
    assert job.description == "course_app.accounts.reset_mail:send_link"
    function, _instance, (name, arguments), _kwargs = job_data(jobs_redis, job)
    assert function == "course_app.jobs.runner.run_by_name"
    # The request's one job, the same for every address; it holds no token and no mail.
    assert (name, arguments) == ("course_app.accounts.reset_mail:send_link",
                                 {"email": "giang@example.vn", "locale": "vi"})
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 0
    db.session.rollback()  # end this read's snapshot before the worker writes

    done = _worker_process(app)
    assert done.returncode == 0, done.stderr
    assert "ran 2 job(s)" in done.stdout  # the recovery job, then the mail it composed
    [message] = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "giang@example.vn"
    assert "Phạm Thu Giang" in message.get_body(("plain",)).get_content()
    assert client.get(_link(message)).status_code == 200  # the mailed link works
    assert queue.counts(app) == queue.Counts(waiting=0, running=0, scheduled=0, failed=0)
    assert not jobs_redis.exists(job.key)  # a job done is gone, its mail with it


def test_a_failing_job_is_retried_then_kept_as_failed(app, client, make_user, wait_jobs,
                                                     jobs_redis, runner):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none"  # nobody
    app.config["MAIL_SENDER"] = "khoahoc@example.vn"
    make_user(email="hai@example.vn")
    _forgot(client, "hai@example.vn")
    wait_jobs()

    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "ran 4 job(s)" in result.output  # the recovery job, the mail's try and two retries
    assert queue.counts(app) == queue.Counts(waiting=0, running=0, scheduled=0, failed=1)
    [failed] = queue.failed_jobs(app)
    assert failed.name == "course_app.mail.transport:deliver" and failed.attempts == 3
    assert failed.error.startswith("ConnectionRefusedError")
    # The request's work is kept: the token is stored, and the failed job still holds the mail.
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 1

    # Once the mail server is back, the failed job is sent as it was.
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
    assert queue.failed_jobs(app) == []


def test_a_failed_job_leaves_the_registry_after_jobs_failed_days(app, jobs_redis, runner):
    """Its arguments may hold a whole mail: RQ drops it (failure_ttl) after JOBS_FAILED_DAYS."""
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none",
                      MAIL_SENDER="khoahoc@example.vn", JOBS_MAX_ATTEMPTS=1, JOBS_FAILED_DAYS=2)
    raw = b"To: hai@example.vn\r\nSubject: x\r\n\r\nbody"
    queue.put(app, "course_app.mail.transport:deliver", {"raw": raw})
    assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
    [failed] = queue.failed_jobs(app)
    registry = FailedJobRegistry(queue=queue.get_queue(app, jobs_redis))
    expires = registry.get_expiration_time(rq.job.Job.fetch(failed.id, connection=jobs_redis))
    now = time.time()
    assert now + 2 * 86400 - 60 < expires.timestamp() <= now + 2 * 86400
    registry.cleanup(timestamp=int(now + 2 * 86400 + 1))  # as a worker's maintenance does then
    assert queue.failed_jobs(app) == []


def test_retries_wait_growing_delays(app, jobs_redis):
    app.config.update(JOBS_MAX_ATTEMPTS=4, JOBS_RETRY_SECONDS=30)
    policy = queue.retry_policy(app)
    assert policy is not None and (policy.max, policy.intervals) == (3, [30, 60, 120])
    app.config["JOBS_MAX_ATTEMPTS"] = 1
    assert queue.retry_policy(app) is None


def test_a_worker_killed_mid_job_leaves_it_to_the_failed_registry(app, jobs_redis, smtp,
                                                                   runner):
    working = app.config["MAIL_URL"]
    silent = socket.create_server(("127.0.0.1", 0))  # a mail server that never answers
    app.config.update(JOBS_MAX_ATTEMPTS=1,
                      MAIL_URL=f"smtp://127.0.0.1:{silent.getsockname()[1]}?tls=none")
    queue.put(app, "course_app.mail.transport:deliver", {"raw": b"To: x@example.vn\r\n\r\nhi"})
    worker = subprocess.Popen(WORKER, env=_worker_env(app), cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)  # its scheduler process too
    try:
        deadline = time.monotonic() + 30  # until the worker is in the middle of the job
        while queue.counts(app).running == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert queue.counts(app).running == 1
        os.killpg(worker.pid, signal.SIGKILL)  # no chance to finish or to clean up
        worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        silent.close()
    started = StartedJobRegistry(queue=queue.get_queue(app, jobs_redis))
    # RQ's maintenance, once the dead worker's heartbeat has lapsed (here: made to have).
    started.cleanup(timestamp=time.time() + 3600)
    [failed] = queue.failed_jobs(app)
    assert failed.error.startswith("Moved to FailedJobRegistry, due to AbandonedJobError")
    app.config["MAIL_URL"] = working  # the mail server is back
    assert "1 job(s) back" in runner.invoke(args=["jobs", "retry-dead"]).output
    assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
    [message] = smtp.wait_for(1)
    assert message["To"] == "x@example.vn"
    assert queue.counts(app) == queue.Counts(waiting=0, running=0, scheduled=0, failed=0)


def test_the_worker_stops_on_sigterm(app, jobs_redis):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSE_APP_JOBS_URL": REDIS_URL,
           "COURSE_APP_JOBS_QUEUE": app.config["JOBS_QUEUE"],
           "COURSE_APP_DATABASE_URL": app.config["DATABASE_URL"]}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "course_app", "jobs",
                               "worker"], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30  # until it is started and waiting for jobs
        while not rq.Worker.all(queue=queue.get_queue(app, jobs_redis)) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.poll() is None
        worker.send_signal(signal.SIGTERM)
        # About a second when idle; a loaded CI machine may be slow to start the worker.
        out, err = worker.communicate(timeout=90)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()  # closes the pipes, so nothing leaks into later tests
    assert worker.returncode == 0, err
    assert "ran 0 job(s)" in out


def test_the_worker_needs_a_jobs_url(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "COURSE_APP_JOBS_URL" in result.output
