"""users create."""

from __future__ import annotations

import sys

import click

from ..people import accounts, welcome
from .common import unit_of_work
from .roster import import_users

users = click.Group("users", help="Accounts.")
users.add_command(import_users)


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name, with diacritics.")
@click.option("--role", type=click.Choice(accounts.ROLES), default="trainee", show_default=True)
@click.option("--unit", default=None)
@click.option("--position", default=None)
@click.option("--cohort", "cohort_slug", default=None,
              help="Enrol a trainee in, or assign a trainer to, this cohort.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from the first line of standard input.")
def create(email: str, full_name: str, role: str, unit: str | None, position: str | None,
           cohort_slug: str | None, password_stdin: bool) -> None:
    """Create one account."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    with unit_of_work():
        cohort = accounts.get_cohort(cohort_slug) if cohort_slug else None
        user = accounts.create_user(email, full_name, role, password, unit=unit,
                                    position=position)
        if cohort is not None:
            accounts.add_to_cohort(user, cohort)
            if user.role == "trainee":
                welcome.welcome_later([user.id], cohort)
    click.echo(f"created {user.role} {user.email}" + (f" in {cohort_slug}" if cohort else ""))
