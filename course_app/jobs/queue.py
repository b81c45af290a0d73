"""The Redis queue behind COURSE_APP_JOBS_URL, run by `flask --app course_app jobs worker`.

A plain reliable list queue, no other library (RQ would pickle functions; our jobs are already
names resolved by jobs/runner.py, with plain-data arguments). Keys, under JOBS_KEY_PREFIX:

- `<prefix>:queue`      jobs waiting: LPUSH by `put`, taken from the right (first in, first out);
- `<prefix>:processing` the job a worker is running: moved there atomically (BLMOVE) as it is
  taken and removed only once it has succeeded or been rescheduled, so a worker killed in the
  middle loses nothing: the next worker to start puts what it finds there back on the queue
  (hence one worker per prefix; it runs jobs one at a time);
- `<prefix>:delayed`    failed jobs waiting to be retried (a sorted set scored by when);
- `<prefix>:dead`       jobs that failed JOBS_MAX_ATTEMPTS times, kept with their arguments and
  last error for a person to look at (`redis-cli LRANGE <prefix>:dead 0 -1`); each is logged.

A job is JSON: {id, name, arguments, enqueued_at, attempts, error}; bytes arguments (a composed
mail) travel as {"__bytes__": base64}."""

from __future__ import annotations

import base64
import json
import signal
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import redis
from flask import Flask

from . import runner

BYTES = "__bytes__"


def _keys(app: Flask) -> dict[str, str]:
    prefix = app.config.get("JOBS_KEY_PREFIX") or "course_app:jobs"
    return {part: f"{prefix}:{part}" for part in ("queue", "processing", "delayed", "dead")}


def connect(app: Flask, timeout: float | None = None, name: str | None = None) -> redis.Redis:
    """A client; `timeout` bounds every command (the web process must not hang on a dead Redis:
    `put` fails within seconds and the failure is logged by transaction.run_after_commit)."""
    return redis.Redis.from_url(app.config["JOBS_URL"], socket_connect_timeout=5,
                                socket_timeout=timeout, client_name=name)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {BYTES}:
            return base64.b64decode(value[BYTES])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def put(app: Flask, name: str, arguments: dict[str, Any]) -> str:
    """Put one job on the queue (called after the commit that asked for it); return its id."""
    job = {"id": uuid.uuid4().hex, "name": name, "arguments": _encode(arguments),
           "enqueued_at": datetime.now(UTC).isoformat(), "attempts": 0, "error": None}
    with connect(app, timeout=5) as client:
        client.lpush(_keys(app)["queue"], json.dumps(job))
    return str(job["id"])


def requeue_abandoned(client: redis.Redis, keys: dict[str, str]) -> int:
    """Put back on the queue the jobs a stopped worker left in `processing`."""
    moved = 0
    while client.lmove(keys["processing"], keys["queue"], "RIGHT", "RIGHT") is not None:
        moved += 1
    return moved


def promote_due(client: redis.Redis, keys: dict[str, str], now: float) -> int:
    """Move the retries whose time has come from `delayed` back onto the queue."""
    due = client.zrangebyscore(keys["delayed"], "-inf", now)
    for raw in due:
        if client.zrem(keys["delayed"], raw):  # whoever removes it requeues it, once
            client.rpush(keys["queue"], raw)
    return len(due)


def _failed(app: Flask, client: redis.Redis, keys: dict[str, str], job: dict[str, Any],
            error: BaseException) -> None:
    job["attempts"] += 1
    job["error"] = f"{type(error).__name__}: {error}"
    maximum = int(app.config.get("JOBS_MAX_ATTEMPTS", 3))
    if job["attempts"] >= maximum:
        client.lpush(keys["dead"], json.dumps(job))
        app.logger.error("job %s (%s) failed %d times, moved to %s: %s", job["id"],
                         job["name"], job["attempts"], keys["dead"], job["error"])
        return
    delay = float(app.config.get("JOBS_RETRY_SECONDS", 30)) * 2 ** (job["attempts"] - 1)
    client.zadd(keys["delayed"], {json.dumps(job): time.time() + delay})
    app.logger.warning("job %s (%s) failed (attempt %d), retried in %.0f s: %s", job["id"],
                       job["name"], job["attempts"], delay, job["error"])


def work_one(app: Flask, client: redis.Redis, keys: dict[str, str], timeout: float) -> bool:
    """Take one job (waiting up to `timeout` seconds, 0 = not at all) and run it; False when
    there was none."""
    promote_due(client, keys, time.time())
    if timeout > 0:
        raw = client.blmove(keys["queue"], keys["processing"], timeout, "RIGHT", "LEFT")
    else:
        raw = client.lmove(keys["queue"], keys["processing"], "RIGHT", "LEFT")
    if raw is None:
        return False
    job = json.loads(raw)
    try:
        runner.run(app, job["name"], _decode(job["arguments"]))
    except Exception as error:  # the job's own failure: retry it, later
        _failed(app, client, keys, job, error)
    client.lrem(keys["processing"], 1, raw)
    return True


def work(app: Flask, burst: bool = False, poll: float = 5) -> int:
    """Run jobs until SIGTERM or SIGINT (systemctl stop: the job running is finished first) or,
    with `burst`, until none is waiting or due; return how many were run (successes and
    failures)."""
    keys = _keys(app)
    count = 0
    stopping: list[int] = []
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.signal(
                number, lambda received, _frame: stopping.append(received))
    try:
        # Named, so that `redis-cli CLIENT LIST` shows the worker of each queue.
        with connect(app, name=f"worker:{keys['queue']}") as client:
            if requeue_abandoned(client, keys):
                app.logger.warning("jobs left by a stopped worker are back on %s", keys["queue"])
            while not stopping:
                if work_one(app, client, keys, 0 if burst else poll):
                    count += 1
                elif burst:
                    break
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return count


def retry_dead(app: Flask) -> int:
    """Put every dead job back on the queue with its attempts counted afresh (once the cause,
    say the mail server, is fixed); return how many."""
    keys = _keys(app)
    moved = 0
    with connect(app) as client:
        while (raw := client.rpop(keys["dead"])) is not None:
            job = json.loads(raw)
            job["attempts"], job["error"] = 0, None
            client.lpush(keys["queue"], json.dumps(job))
            moved += 1
    return moved


def clear(app: Flask) -> None:
    """Delete every key of this queue (tests)."""
    with connect(app) as client:
        client.delete(*_keys(app).values())
