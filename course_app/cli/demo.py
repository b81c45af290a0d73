"""demo setup: demo accounts for `make run`, never in production."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Cohort, Course, User
from ..people import accounts
from .common import unit_of_work

demo = click.Group("demo", help="Demo accounts for trying the app.")

DEMO_USERS = (
    ("admin@example.org", "Quản trị viên Demo", "admin", None),
    ("trainer@example.org", "Giảng viên Nguyễn Văn An", "trainer", "Ban Tuyên giáo"),
    ("trainee@example.org", "Nguyễn Thị Hằng", "trainee", "Sở Văn hóa và Thể thao"),
)


@demo.command("setup")
def setup() -> None:
    """On a database with no users, create demo accounts with random passwords, print them
    once and write them to instance/demo-credentials.txt."""
    if current_app.config["ENV_NAME"] == "production":
        click.echo("production: no demo accounts are created")
        return
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        click.echo("accounts exist: no demo accounts created "
                   "(see instance/demo-credentials.txt from the first run)")
        return
    course = db.session.scalar(sa.select(Course).order_by(Course.id))
    if course is None:
        raise click.ClickException("no course loaded: run `flask --app course_app content load`")
    lines = []
    with unit_of_work():
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.slug == "demo")) or \
            accounts.create_cohort("demo", "Lớp demo", course.slug)
        for email, name, role, unit in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            user = accounts.create_user(email, name, role, password, unit=unit)
            if role != "admin":
                accounts.add_to_cohort(user, cohort)
            lines.append(f"{role:8} {email:24} {password}")
    text = "Demo accounts (http://127.0.0.1:5000/login)\n" + "\n".join(lines) + "\n"
    path = Path(current_app.instance_path) / "demo-credentials.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    click.echo(text + f"(also written to {path})")
