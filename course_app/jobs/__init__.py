"""Work done after a request, command or job has committed: mail first.

`enqueue(function, **arguments)` starts `function(**arguments)` once the current transaction
commits (never if it rolls back). With COURSE_APP_JOBS_URL (redis://…) the job goes on an RQ
queue on Redis that `flask --app course_app jobs worker` runs (jobs/queue.py); without it, it
runs in this process at once, on one background thread, so a page that starts a job answers
without waiting for it (a mail server's delay never shows in the page's time). Each job runs in
its own unit of work: one commit (jobs/runner.py). Arguments must be plain data (str, bytes,
int, lists, dicts): a job may run in another process."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from time import monotonic
from typing import Any

from flask import current_app

from ..transaction import after_commit
from . import runner

_executor: ThreadPoolExecutor | None = None
_futures: set[Future[None]] = set()


def enqueue(function: Callable[..., Any], **arguments: Any) -> None:
    name = runner.job_name(function)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: _dispatch(app, name, arguments))


def start_now(function: Callable[..., Any], **arguments: Any) -> None:
    """Start `function(**arguments)` now, as a job, for work that follows no transaction: a
    read request (GET never writes) that has something to record, as an API key's last use."""
    _dispatch(current_app._get_current_object(),  # type: ignore[attr-defined]
              runner.job_name(function), arguments)


def _dispatch(app: Any, name: str, arguments: dict[str, Any]) -> None:
    if app.config.get("JOBS_URL"):
        from . import queue

        queue.put(app, name, arguments)
        return
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="course_app-job")
    future = _executor.submit(runner.run_logged, app, name, arguments)
    _futures.add(future)
    future.add_done_callback(_futures.discard)


def wait_in_process(timeout: float = 30) -> None:
    """Wait until the in-process jobs have finished, those they start included (a job that
    queues its next step: people/password_batch.py), at most `timeout` seconds (tests,
    commands)."""
    deadline = monotonic() + timeout
    while _futures and (left := deadline - monotonic()) > 0:
        wait(list(_futures), timeout=left)


def busy_in_process() -> bool:
    """Some in-process job is waiting or running."""
    return bool(_futures)
