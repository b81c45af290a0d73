"""Command line: `flask --app course_app <group> <command>`. One commit per command."""

from __future__ import annotations

from flask import Flask

from .attempts import attempts
from .certificates import certificates_group
from .cohorts import cohorts
from .content import content
from .demo import demo
from .dev import dev
from .jobs import jobs_group
from .notify import notify_group
from .ops import COMMANDS as OPS_COMMANDS
from .organisations import organisations
from .quiz import quiz
from .users import users


def init_app(app: Flask) -> None:
    for group in (attempts, content, users, cohorts, demo, dev, quiz, certificates_group,
                  jobs_group, notify_group, organisations, *OPS_COMMANDS):
        app.cli.add_command(group)
