"""cohorts create | edit | trainers add/remove | move: the twins of the cohort pages, on the
same use cases (cohorts/service.py, cohorts/trainers.py). An operator at the command line acts
as no account (actor None) and reaches every cohort."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import click

from ..cohorts import service, trainers
from ..domain.errors import ServiceError
from ..people import accounts
from .common import parse_date, unit_of_work

cohorts = click.Group("cohorts", help="Training classes.")


@cohorts.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--course", "course_slug", required=True)
@click.option("--starts", callback=parse_date, default=None, help="YYYY-MM-DD")
@click.option("--ends", callback=parse_date, default=None, help="YYYY-MM-DD")
@click.option("--organisation", default=None, help="the slug of the organisation that runs it")
def create(slug: str, name: str, course_slug: str, starts: date | None,
           ends: date | None, organisation: str | None) -> None:
    """A training class of one course."""
    with unit_of_work():
        cohort = service.create_cohort(service.CohortFields(
            slug, name, course_slug, organisation, starts, ends), None, strict_organisation=False)
    click.echo(f"created cohort {cohort.slug} for {course_slug}")


@cohorts.command("edit")
@click.argument("slug")
@click.option("--name", default=None)
@click.option("--starts", callback=parse_date, default=None, help="YYYY-MM-DD")
@click.option("--ends", callback=parse_date, default=None, help="YYYY-MM-DD")
@click.option("--no-starts", is_flag=True, help="remove the start date")
@click.option("--no-ends", is_flag=True, help="remove the end date")
@click.option("--organisation", default=None, help="the slug of the organisation that runs it")
@click.option("--archive/--unarchive", default=None, help="hide it from the lists, or show it")
def edit(slug: str, name: str | None, starts: date | None, ends: date | None, no_starts: bool,
         no_ends: bool, organisation: str | None, archive: bool | None) -> None:
    """Change a cohort's name, dates, organisation, or archive it; what is not given stays."""
    with unit_of_work():
        cohort = accounts.get_cohort(slug)
        fields = service.CohortFields.of(cohort)
        fields = replace(fields, name=name if name is not None else fields.name,
                         starts=None if no_starts else (starts or fields.starts),
                         ends=None if no_ends else (ends or fields.ends),
                         organisation=organisation or fields.organisation)
        service.update_cohort(cohort, fields, None, strict_organisation=False)
        if archive is not None:
            service.set_archived(cohort, archive, None)
    click.echo(f"saved cohort {slug}")


trainers_group = click.Group("trainers", help="The trainers of a cohort.")
cohorts.add_command(trainers_group)


@trainers_group.command("add")
@click.argument("slug")
@click.argument("email")
def add_trainer(slug: str, email: str) -> None:
    """An active trainer or administrator account starts teaching the cohort."""
    with unit_of_work():
        user = trainers.add_trainer(accounts.get_cohort(slug), email, None)
    click.echo(f"{user.email} teaches {slug}")


@trainers_group.command("remove")
@click.argument("slug")
@click.argument("email")
def remove_trainer(slug: str, email: str) -> None:
    """Take a trainer off the cohort (the operator may take the last one off)."""
    with unit_of_work():
        cohort = accounts.get_cohort(slug)
        trainers.remove_trainer(cohort, trainers.trainer_of(cohort, email=email), None)
    click.echo(f"{email} no longer teaches {slug}")


@cohorts.command("move")
@click.argument("slug")
@click.argument("email")
@click.option("--to", "target", required=True, help="the slug of the cohort to move to")
def move(slug: str, email: str, target: str) -> None:
    """Move a trainee to another cohort of the same course, keeping their results."""
    with unit_of_work():
        trainee = accounts.find_user(email)
        if trainee is None:
            raise ServiceError("unknown_user", f"no account has the email '{email}'")
        trainers.move_trainee(accounts.get_cohort(slug), trainee, accounts.get_cohort(target),
                              None)
    click.echo(f"moved {trainee.email} from {slug} to {target}")
