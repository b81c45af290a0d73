"""content check | load | export: the course package in lessons/ and quizzes/."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from ..catalog.content_loader import load_courses
from ..content.package import read_package
from ..content.specs import CourseSpec
from .common import unit_of_work

content = click.Group("content", help="Check, load and export the course package.")
root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                           default=None, help="Folder holding lessons/ and quizzes/.")


def _read(root: Path | None) -> list[CourseSpec]:
    folder = root or Path(current_app.config["CONTENT_ROOT"])
    courses, problems = read_package(folder)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if not p.warning]
    if errors:
        click.echo(f"{len(errors)} error(s); nothing was loaded.", err=True)
        sys.exit(1)
    return courses


@content.command("check")
@root_option
def check(root: Path | None) -> None:
    """Validate the package; print file:line: message per problem; exit 1 on any error."""
    courses = _read(root)
    for course in courses:
        lessons = sum(len(m.lessons) for m in course.modules)
        questions = sum(len(q.questions) for q in course.quizzes)
        click.echo(f"{course.slug}: {len(course.modules)} modules, {lessons} lessons, "
                   f"{len(course.quizzes)} quizzes, {questions} questions: OK")


@content.command("load")
@root_option
def load(root: Path | None) -> None:
    """Create or update courses by slug and key; loading twice changes nothing."""
    courses = _read(root)
    with unit_of_work():
        report = load_courses(courses)
    for label, counts in (("created", report.created), ("updated", report.updated),
                          ("archived", report.archived)):
        if counts:
            parts = [f"{n} {kind}" for kind, n in sorted(counts.items())]
            click.echo(f"{label}: " + ", ".join(parts))
    if not report.changed:
        click.echo("no changes")


@content.command("export")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
def export(outdir: Path) -> None:
    """Write the database's published courses as a course package (lessons/, quizzes/)."""
    from ..catalog.export import course_specs
    from ..content.export import leftovers, write_package

    courses = course_specs()
    written = write_package(courses, outdir)
    for path in leftovers(courses, outdir, written):
        click.echo(f"warning: {path} is not part of the export; delete it, or `content load` "
                   "will read it again", err=True)
    click.echo(f"wrote {len(written)} files for {len(courses)} course(s) to {outdir}")
