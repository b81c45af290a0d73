"""users import FILE --cohort SLUG [--credentials OUT.csv] [--dry-run]: bulk enrolment."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
from flask import current_app

from .. import jobs
from ..exports import csv_bytes
from ..extensions import db
from ..people import accounts, password_batch, roster
from .common import unit_of_work

STATUS_WORDS = {"new": "new account", "existing": "existing account",
                "enrolled": "already enrolled"}


def _report_errors(path: Path, parsed: roster.Roster) -> None:
    for error in parsed.errors:
        column = f" {error.column}:" if error.column else ""
        click.echo(f"{path}:{error.row}:{column} {error.message}", err=True)
    click.echo(f"{len(parsed.errors)} error(s); nothing was imported.", err=True)


def _show_rows(parsed: roster.Roster) -> None:
    for row in parsed.rows:
        unit = f" · {row.unit}" if row.unit else ""
        person = f"{row.full_name} <{row.email}>{unit}"
        click.echo(f"row {row.row}: {STATUS_WORDS[row.status]}: {person}")
    click.echo(f"{parsed.count('new')} new, {parsed.count('existing')} existing to enrol, "
               f"{parsed.count('enrolled')} already enrolled")


def _write_credentials(path: Path, result: roster.ImportResult) -> None:
    data = csv_bytes(list(roster.CREDENTIAL_COLUMNS), roster.credential_rows(result.credentials))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _wait_for_hashes(batch_id: int, total: int) -> None:
    """Without a queue the hashing job runs in this process: show its progress and wait (the
    process must not exit before it ends). With one, the worker does it."""
    if current_app.config.get("JOBS_URL"):
        click.echo("the one-time passwords are being hashed by the jobs worker; the accounts "
                   "can sign in once it has finished")
        return
    shown = 0
    with click.progressbar(length=total, label="Hashing one-time passwords",
                           file=sys.stderr) as bar:
        while True:
            busy = jobs.busy_in_process()  # read before the batch: a finished job is seen
            db.session.rollback()  # a fresh read: SQLite would show the old snapshot
            batch = password_batch.progress(batch_id)
            done = batch.done if batch else total
            bar.update(done - shown)
            shown = done
            if batch is None or batch.status != "running" or not busy:
                break
            time.sleep(0.2)
    db.session.remove()
    if batch is not None and batch.status != "done":
        raise click.ClickException(f"hashing stopped at {shown} of {total} accounts "
                                   "(see the log); reset the others' passwords")


def _print_sheet(result: roster.ImportResult) -> None:
    if not result.credentials:
        return
    click.echo("\nOne-time passwords (each must be changed at the first sign-in):")
    width = max(len(c.email) for c in result.credentials)
    for number, c in enumerate(result.credentials, start=1):
        click.echo(f"{number:4}  {c.email:{width}}  {c.password}  {c.full_name}")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cohort", "cohort_slug", required=True, help="Enrol every row in this cohort.")
@click.option("--credentials", "credentials_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the new accounts' one-time passwords to this CSV file.")
@click.option("--dry-run", is_flag=True, help="Check every row and show the result; write "
                                              "nothing.")
@click.option("--invite", is_flag=True, help="Mail each new account an invitation link to choose "
                                             "a password, instead of one-time passwords.")
def import_users(file: Path, cohort_slug: str, credentials_path: Path | None,
                 dry_run: bool, invite: bool) -> None:
    """Enrol trainees from a CSV or XLSX file with the columns full_name, email, unit,
    position; all rows or none. New accounts get one-time passwords (hashed at full strength
    by a job: without COURSE_APP_JOBS_URL this command waits for it) or, with --invite, a
    mailed invitation."""
    if invite and credentials_path is not None:
        raise click.ClickException("--invite sends links by mail: there is no credentials file")
    if credentials_path is not None and credentials_path.exists():
        raise click.ClickException(f"{credentials_path} already exists; choose another name")
    parsed = roster.parse_roster(file.read_bytes(), file.name)
    with unit_of_work():
        cohort = accounts.get_cohort(cohort_slug)
        if parsed.ok:
            roster.check_accounts(parsed, cohort)
        if not parsed.ok:
            _report_errors(file, parsed)
            sys.exit(1)
        if dry_run:
            _show_rows(parsed)
            click.echo("dry run: nothing was written")
            return
        result = roster.import_roster(parsed, cohort, invite=invite)
        if credentials_path is not None:
            _write_credentials(credentials_path, result)
    click.echo(f"imported into {cohort.slug}: {result.created} new accounts, "
               f"{result.enrolled_existing} existing accounts enrolled, "
               f"{result.already_enrolled} already enrolled")
    if invite:
        jobs.wait_in_process(timeout=600)  # in-process: the mails leave before we exit
        click.echo(f"{result.invited} invitation(s) sent by mail")
        return
    if result.batch_id is not None:
        _wait_for_hashes(result.batch_id, result.created)
    if credentials_path is not None:
        click.echo(f"one-time passwords written to {credentials_path}")
    else:
        _print_sheet(result)
