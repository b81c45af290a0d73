"""dev seed-scale: fill a migrated database that holds a course with many trainees and
attempts, quickly (bulk inserts of prepared rows, in batches, written by cli/scale_seed.py), for
tests of size. Never in production."""

from __future__ import annotations

import math
import random
import secrets
import time

import click
import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Cohort, Course
from .common import unit_of_work
from .scale_seed import COHORT_PREFIX, DOMAIN, ScaleSeeder

__all__ = ["DOMAIN", "dev"]

dev = click.Group("dev", help="Development tools (refused when COURSE_APP_ENV=production).")

def _check_input(trainees: int, attempts: int, cohort_size: int) -> None:
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "refused: seed-scale writes throwaway accounts and never runs when "
            "COURSE_APP_ENV=production")
    for name, value, least in (("--trainees", trainees, 1), ("--attempts", attempts, 0),
                               ("--cohort-size", cohort_size, 1)):
        if value < least:
            raise click.ClickException(f"{name} must be {least} or more (got {value})")


def _course(slug: str | None) -> Course:
    query = sa.select(Course).where(Course.archived.is_(False)).order_by(Course.id)
    course = db.session.scalar(query.where(Course.slug == slug) if slug else query)
    if course is None and slug:
        raise click.ClickException(f"no course '{slug}' in this database")
    if course is None:
        raise click.ClickException(
            "no course loaded: run `flask --app course_app db upgrade` and "
            "`flask --app course_app content load` first")
    return course


def _check_room(seeder: ScaleSeeder, trainees: int, attempts: int) -> None:
    most = len(seeder.slots)
    if attempts > trainees * most:
        raise click.ClickException(
            f"--attempts {attempts} is more than {trainees} trainees can make: at most {most} "
            "each, within the quizzes' attempt limits")
    first = f"{COHORT_PREFIX}00001"
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.slug == first)) is not None:
        raise click.ClickException(
            f"this database already holds seeded data (cohort {first}): seed a fresh database")


@dev.command("seed-scale")
@click.option("--trainees", type=int, required=True, help="How many trainees to create.")
@click.option("--attempts", type=int, required=True,
              help="How many finished, graded quiz attempts to spread over them.")
@click.option("--cohort-size", type=int, default=500, show_default=True,
              help="Trainees per cohort (cohorts scale-00001, scale-00002, …).")
@click.option("--course", "course_slug", help="Course slug (default: the first course).")
@click.option("--password", default=None,
              help="The password of every seeded account (default: a random one, printed).")
def seed_scale(trainees: int, attempts: int, cohort_size: int, course_slug: str | None,
               password: str | None) -> None:
    """Fill a migrated database that holds a course with trainees in cohorts, lesson progress,
    finished graded attempts with their answers, and some certificates, using bulk inserts.
    Every seeded account signs in with the same password (printed at the end)."""
    _check_input(trainees, attempts, cohort_size)
    password = password or secrets.token_urlsafe(12)
    test_data = random.Random(2024)  # noqa: S311 (test data, not secrets)  # nosec B311
    seeder = ScaleSeeder(_course(course_slug), cohort_size, test_data, password)
    _check_room(seeder, trainees, attempts)
    started = time.monotonic()
    with unit_of_work():
        seeder.run(trainees, attempts)
    cohorts = math.ceil(trainees / cohort_size)
    click.echo(f"seeded {trainees} trainees in {cohorts} cohorts ({COHORT_PREFIX}00001…) and "
               f"{attempts} attempts in {time.monotonic() - started:.1f} s")
    click.echo(f"trainer: giangvien@{DOMAIN}; trainees: hocvien000001@{DOMAIN} …; "
               f"password for all: {password}")
