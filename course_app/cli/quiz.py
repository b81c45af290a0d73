"""quiz import | export: Moodle GIFT and Aiken question files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..catalog import quiz_import
from ..domain.errors import ServiceError
from .common import unit_of_work

quiz = click.Group("quiz", help="Import and export quiz questions (Moodle GIFT and Aiken).")


def _read(file: Path) -> str:
    try:
        if file.stat().st_size > quiz_import.MAX_IMPORT_BYTES:
            raise ServiceError("too_large", "the file is larger than "
                                            f"{quiz_import.MAX_IMPORT_BYTES // 1024} KiB")
        return quiz_import.decode(file.read_bytes())
    except ServiceError as error:
        click.echo(f"{file}: {error.message}", err=True)
        sys.exit(1)


def _say(file: Path, items: list[quiz_import.LineError], label: str = "") -> None:
    for item in items:
        click.echo(f"{file}:{item.line}: {label}{item.message}", err=True)


@quiz.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(quiz_import.FORMATS), required=True,
              help="gift (Moodle GIFT) or aiken.")
@click.option("--course", "course_slug", required=True, help="The course's slug.")
@click.option("--quiz", "quiz_slug", required=True,
              help="The quiz's slug; the quiz is created when it does not exist.")
@click.option("--keep-good", is_flag=True,
              help="Import the good questions even when some blocks are broken.")
@click.option("--title", default=None, help="Title of a new quiz (default: its slug).")
def import_(file: Path, fmt: str, course_slug: str, quiz_slug: str, keep_good: bool,
            title: str | None) -> None:
    """Import FILE into a quiz: new keys are added, changed questions get a new version."""
    text = _read(file)
    with unit_of_work():
        try:
            report = quiz_import.import_questions(
                course_slug, quiz_slug, text, fmt, keep_good=keep_good, title=title,
                source=file.name)
        except quiz_import.ImportFailed as failed:
            _say(file, failed.errors)
            hint = f" (use --keep-good to import the {failed.good} good question(s))" \
                if failed.errors and failed.good else ""
            click.echo(f"{failed.message}{hint}", err=True)
            sys.exit(1)
    _say(file, report.warnings, "warning: ")
    _say(file, report.skipped, "skipped: ")
    _summary(report, course_slug, quiz_slug)


def _summary(report: quiz_import.ImportReport, course_slug: str, quiz_slug: str) -> None:
    state = "created" if report.quiz_created else "updated"
    click.echo(f"quiz {course_slug}/{quiz_slug} ({state}): {len(report.created)} new, "
               f"{len(report.updated)} updated (new version), {len(report.unchanged)} unchanged"
               + (f"; {len(report.skipped)} broken block(s) skipped" if report.skipped else ""))
    if report.quiz_created:
        click.echo("the new quiz is a draft: trainees see it, and certificates count it, once a "
                   "trainer publishes it in the authoring pages (it is not required)")
    if report.category:
        click.echo(f"category '{report.category}' ignored (questions go to the quiz)")


@quiz.command("export")
@click.option("--course", "course_slug", required=True, help="The course's slug.")
@click.option("--quiz", "quiz_slug", required=True, help="The quiz's slug.")
@click.argument("outfile", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export(course_slug: str, quiz_slug: str, outfile: Path) -> None:
    """Write the quiz's questions to OUTFILE as Moodle GIFT (Vietnamese text)."""
    with unit_of_work():
        result = quiz_import.export_quiz(course_slug, quiz_slug)
        try:  # inside the unit of work: no audit of an export that was never written
            outfile.write_text(result.text, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"{outfile}: {error.strerror}") from error
    click.echo(f"wrote {len(result.exported)} question(s) to {outfile}")
    if result.skipped:
        click.echo(f"not exportable to GIFT (named in comments): {', '.join(result.skipped)}",
                   err=True)
