"""The Redis queue behind COURSE_APP_JOBS_URL: RQ (python-rq.org), run by
`flask --app course_app jobs worker` (docs/deploy.md says why RQ).

Every job is one call of jobs/runner.py's `run_by_name(name, arguments)`, serialized as JSON
(RQ's JSONSerializer: nothing is pickled; bytes arguments, a composed mail, travel as
{"__bytes__": base64}). The RQ queue is named JOBS_QUEUE; RQ keeps its jobs and registries
under `rq:`. A job that raises is retried JOBS_MAX_ATTEMPTS - 1 times, after
JOBS_RETRY_SECONDS, then twice that…, and then kept in RQ's failed-job registry with its
error, shown at /admin/jobs (retry, delete) and requeued by `flask jobs retry-dead`. A worker
killed mid-job leaves the job in the started registry; once its heartbeat lapses the next
worker's maintenance retries it (attempts left) or moves it to the failed registry
(AbandonedJobError). Each job is one transaction (runner.run), so nothing is half-done."""

from __future__ import annotations

import signal
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from flask import Flask
from rq import Queue, Retry, SimpleWorker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from . import runner

LISTED = 100  # the failed jobs shown at /admin/jobs, newest first


def connect(app: Flask, timeout: float | None = None, name: str | None = None) -> redis.Redis:
    """A client; `timeout` bounds every command (the web process must not hang on a dead Redis:
    `put` fails within seconds and the failure is logged by transaction.run_after_commit)."""
    return redis.Redis.from_url(app.config["JOBS_URL"], socket_connect_timeout=5,
                                socket_timeout=timeout, client_name=name)


def queue_name(app: Flask) -> str:
    return str(app.config.get("JOBS_QUEUE") or "course_app")


def get_queue(app: Flask, client: redis.Redis) -> Queue:
    return Queue(queue_name(app), connection=client, serializer=JSONSerializer)


def max_attempts(app: Flask) -> int:
    return max(1, int(app.config.get("JOBS_MAX_ATTEMPTS", 3)))


def retry_policy(app: Flask) -> Retry | None:
    """Retry JOBS_MAX_ATTEMPTS - 1 times, waiting JOBS_RETRY_SECONDS, then twice as long…"""
    retries = max_attempts(app) - 1
    if retries < 1:
        return None
    seconds = max(0, int(app.config.get("JOBS_RETRY_SECONDS", 30)))
    return Retry(max=retries, interval=[seconds * 2 ** number for number in range(retries)])


def failed_seconds(app: Flask) -> int:
    """How long RQ keeps a failed job (and its arguments) in its failed-job registry."""
    return max(1, int(app.config.get("JOBS_FAILED_DAYS", 30))) * 86400


def put(app: Flask, name: str, arguments: dict[str, Any]) -> str:
    """Put one job on the queue (called after the commit that asked for it); return its id."""
    with connect(app, timeout=5) as client:
        job = get_queue(app, client).enqueue(
            runner.run_by_name, name, runner.encode(arguments), retry=retry_policy(app),
            description=name, meta={"max_attempts": max_attempts(app)},
            result_ttl=0,  # a job done is deleted at once, its arguments (mail) with it
            failure_ttl=failed_seconds(app))  # a failed one after JOBS_FAILED_DAYS
    return str(job.id)


class _Worker(SimpleWorker):
    """RQ's worker that runs jobs in its own process, counting them (`jobs worker` says how
    many ran; RQ keeps its counts in Redis, gone when the worker stops)."""

    ran = 0
    stop_before_start: int | None = None  # a SIGTERM that came while the worker was starting

    def execute_job(self, job: Job, queue: Queue) -> Any:
        self.ran += 1
        return super().execute_job(job, queue)

    def subscribe(self) -> None:
        """As RQ's, listening in steps of 1 s rather than 60: with redis-py 8 stopping the
        listener waits for its step to end, and `systemctl stop` must not wait a minute."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler)

    def _install_signal_handlers(self) -> None:
        super()._install_signal_handlers()
        if self.stop_before_start is not None:
            self.log.info("Worker %s: stopping, as asked while starting", self.name)
            self._stop_requested = True  # the loop ends before taking a job


def work(app: Flask, burst: bool = False) -> int:
    """Run jobs one at a time, in this process and in `app`'s context (RQ's SimpleWorker: the
    app is made once; jobs/runner.run_by_name runs each job in it), until SIGTERM or SIGINT
    (systemctl stop: the running job is finished first) or, with `burst`, until none is
    waiting or due; return how many ran (successes and failures)."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        with app.app_context(), connect(app) as client:
            worker = _Worker([get_queue(app, client)], connection=client,
                             serializer=JSONSerializer,
                             name=f"{queue_name(app)}.{uuid.uuid4().hex[:8]}")
            for number in previous:  # until RQ installs its own handlers: a stop is remembered
                signal.signal(number, lambda received, _frame: setattr(
                    worker, "stop_before_start", received))
            worker.work(burst=burst, with_scheduler=True)
            return worker.ran
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@dataclass(frozen=True)
class FailedJob:
    id: str
    name: str  # the job's function (module:function), never its arguments
    failed_at: datetime | None
    attempts: int
    error: str  # the last line of the error


@dataclass(frozen=True)
class Counts:
    waiting: int
    running: int
    scheduled: int
    failed: int


def counts(app: Flask) -> Counts:
    with connect(app, timeout=5) as client:
        queue = get_queue(app, client)
        return Counts(queue.count, queue.started_job_registry.count,
                      queue.scheduled_job_registry.count, queue.failed_job_registry.count)


RETRY_PREFIX = "course_app.jobs.runner.Retry: "  # a job that kept its own failure record


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].removeprefix(RETRY_PREFIX)[:300] if lines else ""


def _failed(job: Job) -> FailedJob:
    result = job.latest_result()
    error = result.exc_string if result is not None and result.exc_string else job.exc_info
    total = int(job.meta.get("max_attempts", 1))
    return FailedJob(job.id, job.description or "?", job.ended_at,
                     max(1, total - (job.retries_left or 0)), _last_line(error))


def failed_jobs(app: Flask) -> list[FailedJob]:
    """The newest failed jobs (LISTED at most); their arguments are never read."""
    with connect(app, timeout=5) as client:
        registry = FailedJobRegistry(queue=get_queue(app, client))
        ids = registry.get_job_ids(0, -1, desc=True)[:LISTED]
        jobs = Job.fetch_many(ids, connection=client, serializer=JSONSerializer)
        return [_failed(job) for job in jobs if job is not None]


def _requeue(app: Flask, registry: FailedJobRegistry, job_id: str) -> bool:
    try:
        job = Job.fetch(job_id, connection=registry.connection, serializer=JSONSerializer)
        job.retries_left = max_attempts(app) - 1 or None  # attempts counted afresh
        registry.requeue(job)
    except (NoSuchJobError, InvalidJobOperation):
        return False
    return True


def retry(app: Flask, job_id: str) -> bool:
    """Put one failed job back on the queue; False when it is no longer failed."""
    with connect(app, timeout=5) as client:
        return _requeue(app, FailedJobRegistry(queue=get_queue(app, client)), job_id)


def delete(app: Flask, job_id: str) -> bool:
    """Forget one failed job (its arguments with it); False when it is no longer failed."""
    with connect(app, timeout=5) as client:
        registry = FailedJobRegistry(queue=get_queue(app, client))
        if job_id not in registry:
            return False
        registry.remove(job_id, delete_job=True)
        return True


def retry_dead(app: Flask) -> int:
    """Put every failed job back on the queue with its attempts counted afresh (once the
    cause, say the mail server, is fixed); return how many."""
    with connect(app) as client:
        registry = FailedJobRegistry(queue=get_queue(app, client))
        return sum(_requeue(app, registry, job_id) for job_id in registry.get_job_ids())


def clear(app: Flask) -> None:
    """Delete this queue, its registries and their jobs (tests)."""
    with connect(app) as client:
        queue = get_queue(app, client)
        registries = [queue.failed_job_registry, queue.started_job_registry,
                      queue.scheduled_job_registry, queue.finished_job_registry,
                      queue.deferred_job_registry, queue.canceled_job_registry]
        ids = set(queue.get_job_ids())
        for registry in registries:
            ids.update(registry.get_job_ids())
            client.delete(registry.key)
        for job_id in ids:
            client.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
        queue.delete(delete_jobs=False)
        for key in client.scan_iter(match=f"rq:*:{queue.name}*"):  # workers, locks
            client.delete(key)
