"""jobs worker / jobs retry-dead: run the jobs queued on COURSE_APP_JOBS_URL (Redis, with RQ),
each in its own unit of work (jobs/runner.py); see jobs/queue.py for retries and failures."""

from __future__ import annotations

import click
from flask import Flask, current_app

from ..jobs import queue

jobs_group = click.Group("jobs", help="Background jobs (mail, notifications, hashing).")


def _app_with_queue() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("JOBS_URL"):
        raise click.ClickException(
            "COURSE_APP_JOBS_URL is not set: jobs run in the web process, no worker is needed.")
    return app


@jobs_group.command("worker")
@click.option("--burst", is_flag=True,
              help="Run the jobs waiting now (and retries already due), then exit.")
def worker(burst: bool) -> None:
    """Run queued jobs one at a time until stopped (systemd: see docs/deploy.md), with RQ's
    scheduler, which starts the retries whose time has come. Several workers may share a
    queue."""
    app = _app_with_queue()
    count = queue.work(app, burst=burst)
    click.echo(f"ran {count} job(s)")


@jobs_group.command("retry-dead")
def retry_dead() -> None:
    """Put every failed job (RQ's failed-job registry, also at /admin/jobs) back on the queue,
    its attempts counted afresh."""
    app = _app_with_queue()
    click.echo(f"{queue.retry_dead(app)} job(s) back on the queue")
