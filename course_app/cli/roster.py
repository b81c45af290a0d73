"""users import FILE --cohort SLUG [--credentials OUT.csv] [--dry-run]: bulk enrolment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..exports import csv_bytes
from ..people import accounts, roster
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
def import_users(file: Path, cohort_slug: str, credentials_path: Path | None,
                 dry_run: bool) -> None:
    """Enrol trainees from a CSV or XLSX file with the columns full_name, email, unit,
    position; all rows or none."""
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
        with click.progressbar(length=parsed.count("new"), label="Creating accounts",
                               file=sys.stderr) as bar:
            result = roster.import_roster(parsed, cohort, progress=bar.update)
        if credentials_path is not None:
            _write_credentials(credentials_path, result)
    click.echo(f"imported into {cohort.slug}: {result.created} new accounts, "
               f"{result.enrolled_existing} existing accounts enrolled, "
               f"{result.already_enrolled} already enrolled")
    if credentials_path is not None:
        click.echo(f"one-time passwords written to {credentials_path}")
    else:
        _print_sheet(result)
