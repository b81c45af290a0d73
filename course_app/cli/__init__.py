"""Command line: `flask --app course_app <group> <command>`. One commit per command."""

from __future__ import annotations

from flask import Flask

from .cohorts import cohorts
from .content import content
from .demo import demo
from .users import users


def init_app(app: Flask) -> None:
    for group in (content, users, cohorts, demo):
        app.cli.add_command(group)
