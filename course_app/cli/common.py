"""Helpers shared by the commands: a unit of work with one commit and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click

from ..database import writing
from ..domain.errors import ServiceError
from ..extensions import db
from ..transaction import run_after_commit


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit once at the end, then start the work that follows it (mail, jobs); on any error
    roll everything back and exit 1."""
    with writing():
        try:
            yield
            db.session.commit()
            run_after_commit()  # mail and jobs the command started, now that its work is kept
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        except BaseException:
            db.session.rollback()
            raise


def parse_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD)") from None
