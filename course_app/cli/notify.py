"""notify reminders / notify digest / notify purge-log: run daily by cron or a systemd timer
(README, "Mail and notifications"). The first two enqueue one mail job per person and print
what they did; with no COURSE_APP_JOBS_URL the jobs run in this process and the command waits
for them. The third forgets old rows of the mail log."""

from __future__ import annotations

import click
import redis
from flask import current_app

from .. import jobs, mail
from ..jobs import queue
from ..notify import digest, preferences, reminders
from .common import unit_of_work

notify_group = click.Group("notify", help="Notification mails: deadline reminders, digests.")


def _check_queue() -> None:
    """With a jobs URL, refuse to start when Redis cannot take the jobs (rather than count as
    queued mails that the after-commit step then fails to put on the queue)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("JOBS_URL"):
        return
    try:
        with queue.connect(app, timeout=5) as client:
            client.ping()
    except redis.RedisError as error:
        raise click.ClickException(f"the jobs queue cannot be reached ({error}): nothing "
                                   "was queued; run the command again once Redis is back") \
            from None


def _finish(kind: str, pairs: list[tuple[int, str]]) -> None:
    if current_app.config.get("JOBS_URL"):
        click.echo("the jobs are on the queue: `flask jobs worker` sends them")
        return
    for _ in range(2):  # the notification jobs, then the mail jobs they started
        jobs.wait_in_process(timeout=300)
    with unit_of_work():
        mailed = preferences.count_sent(kind, pairs)
    click.echo(f"{mailed} of {len(pairs)} mailed"
               + ("" if current_app.config.get("MAIL_URL") else " (into instance/mail/)"))


@notify_group.command("reminders")
@click.option("--days", type=click.IntRange(0, 60), default=None,
              help="Remind of deadlines within this many days "
                   "[default: COURSE_APP_NOTIFY_REMINDER_DAYS, 3].")
def reminders_command(days: int | None) -> None:
    """Mail trainees whose quiz closes or cohort ends within DAYS days and who have not
    finished: once per person and deadline, never to those who turned reminders off."""
    days = int(current_app.config.get("NOTIFY_REMINDER_DAYS", 3)) if days is None else days
    _check_queue()
    with unit_of_work():
        outcome = reminders.enqueue_due(days)
    click.echo(f"reminders within {days} day(s): {outcome.queued} queued, "
               f"{outcome.already_sent} sent before, {outcome.turned_off} turned off")
    if outcome.queued:
        _finish(reminders.KIND, [(r.user_id, r.ref) for r in outcome.reminders])


@notify_group.command("digest")
def digest_command() -> None:
    """Mail each trainer with essays waiting for a grade their open cohorts' figures (once a
    day; nothing to a trainer with nothing waiting)."""
    _check_queue()
    with unit_of_work():
        day, queued, sent, off, idle = digest.enqueue_all()
    click.echo(f"digests of {day}: {len(queued)} queued, {sent} sent today before, "
               f"{off} turned off, {idle} with nothing waiting")
    if queued:
        _finish(digest.KIND, [(trainer_id, day) for trainer_id in queued])


@notify_group.command("purge-log")
@click.option("--days", type=click.IntRange(1, 36500), default=None,
              help="Forget mails older than this [default: COURSE_APP_MAIL_LOG_DAYS, 365].")
def purge_log_command(days: int | None) -> None:
    """Forget the mail log's rows (who was mailed what, /admin/mail) older than DAYS days."""
    days = int(current_app.config.get("MAIL_LOG_DAYS", 365)) if days is None else days
    with unit_of_work():
        gone = mail.purge_log(days)
    click.echo(f"{gone} mail log row(s) older than {days} day(s) forgotten")
