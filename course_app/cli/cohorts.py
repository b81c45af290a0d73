"""cohorts create."""

from __future__ import annotations

from datetime import date

import click

from ..people import accounts
from .common import parse_date, unit_of_work

cohorts = click.Group("cohorts", help="Training classes.")


@cohorts.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--course", "course_slug", required=True)
@click.option("--starts", callback=parse_date, default=None, help="YYYY-MM-DD")
@click.option("--ends", callback=parse_date, default=None, help="YYYY-MM-DD")
def create(slug: str, name: str, course_slug: str, starts: date | None,
           ends: date | None) -> None:
    """A training class of one course."""
    with unit_of_work():
        cohort = accounts.create_cohort(slug, name, course_slug, starts, ends)
    click.echo(f"created cohort {cohort.slug} for {course_slug}")
