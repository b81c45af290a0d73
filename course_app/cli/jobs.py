"""jobs worker: run the jobs queued on COURSE_APP_JOBS_URL (Redis), each in its own unit of work
(jobs/runner.py); see jobs/queue.py for the keys, retries and the dead-letter list."""

from __future__ import annotations

import click
from flask import current_app

from ..jobs import queue

jobs_group = click.Group("jobs", help="Background jobs (mail).")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True,
              help="Run the jobs waiting now (and retries already due), then exit.")
@click.option("--poll", default=5.0, show_default=True,
              help="Seconds to wait for a job before looking at due retries again.")
def worker(burst: bool, poll: float) -> None:
    """Run queued jobs one at a time until stopped (systemd: see docs/deploy.md). Run one
    worker per queue: at start it puts back the jobs a stopped worker left unfinished."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("JOBS_URL"):
        raise click.ClickException(
            "COURSE_APP_JOBS_URL is not set: jobs run in the web process, no worker is needed.")
    count = queue.work(app, burst=burst, poll=poll)
    click.echo(f"ran {count} job(s)")


@jobs_group.command("retry-dead")
def retry_dead() -> None:
    """Put the jobs that failed every attempt (the dead-letter list) back on the queue."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"{queue.retry_dead(app)} job(s) back on the queue")
