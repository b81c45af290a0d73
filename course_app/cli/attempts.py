"""attempts sweep: close every attempt whose time is over (run it every few minutes)."""

from __future__ import annotations

import click

from ..quiz import closing
from .common import unit_of_work

attempts = click.Group("attempts", help="Quiz attempts.")

BATCH = 200  # attempts closed per transaction: a long sweep never holds the writer for long


@attempts.command("sweep")
def sweep() -> None:
    """Close every open attempt whose time limit and grace period are over, by the same rule
    as Submit: graded with the answers saved in time, and the certificate issued when the
    course is complete. Safe to run at any time and from several servers at once."""
    total = 0
    while True:
        with unit_of_work():
            closed = closing.sweep(limit=BATCH)
        total += closed
        if closed < BATCH:
            break
    click.echo(f"closed {total} expired attempt(s)")
