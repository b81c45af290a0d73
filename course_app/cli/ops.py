"""Operations: check-deploy (after Django's `check --deploy`), backup and restore.

SQLite backups use the online backup API in one step: one read transaction copies every page,
so the copy is the database as of one instant while writers go on (WAL lets them). PostgreSQL
is backed up with pg_dump, which does the same from a snapshot; these commands print how."""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import make_url

from ..database import private_sqlite_file
from ..extensions import db
from ..security.deploy import check_deployment

BUSY_TIMEOUT_MS = 30_000


@click.command("check-deploy")
def check_deploy() -> None:
    """Check the settings for production; exit 1 on any error (warnings are only printed)."""
    config = dict(current_app.config, DEBUG=current_app.debug)
    findings = check_deployment(config)
    for finding in findings:
        click.echo(f"{finding.level.upper()} {finding}", err=finding.level == "error")
    errors = sum(f.level == "error" for f in findings)
    click.echo(f"System check identified {len(findings)} issue(s): {errors} error(s).")
    if errors:
        sys.exit(1)


def _sqlite_file() -> Path | None:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise click.ClickException("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_target() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=True)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def integrity_problems(path: Path) -> list[str]:
    with closing(_connect(path)) as connection:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        rows += [f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")]
    return [] if rows == ["ok"] else [row for row in rows if row != "ok"]


def row_counts(path: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            names = sorted(name for name in sa.inspect(connection).get_table_names()
                           if not name.startswith("sqlite_"))
            return {name: connection.scalar(sa.select(sa.func.count()).select_from(
                sa.table(name))) or 0 for name in names}
    finally:
        engine.dispose()


def _schema_revision(path: Path) -> str | None:
    with closing(_connect(path)) as connection:
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError:
            return None
    return ",".join(sorted(row[0] for row in rows)) or None


def copy_sqlite(source: Path, target: Path) -> None:
    """One backup step (pages=-1): a single consistent snapshot of source written to target,
    a file of mode 0600 like the database itself."""
    private_sqlite_file(str(target))
    with closing(_connect(source)) as src, closing(_connect(target)) as dst:
        src.backup(dst, pages=-1)


def _echo_counts(counts: dict[str, int]) -> None:
    for name, count in counts.items():
        click.echo(f"  {name}: {count}")


def _verified(path: Path, what: str) -> dict[str, int]:
    problems = integrity_problems(path)
    if problems:
        raise click.ClickException(f"{what} {path} fails the integrity check: "
                                   + "; ".join(problems[:5]))
    return row_counts(path)


@click.command("backup")
@click.argument("outfile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUTFILE if it exists.")
def backup(outfile: Path, force: bool) -> None:
    """Write a consistent copy of the database to OUTFILE, safe while the app is serving."""
    source = _sqlite_file()
    if source is None:
        click.echo("PostgreSQL: no file was written. Back up with pg_dump, which copies a "
                   "consistent snapshot while the app is serving:\n"
                   f"  pg_dump --format=custom --no-owner --file {outfile} '{_pg_target()}'\n"
                   "and restore with:\n"
                   f"  pg_restore --clean --if-exists --no-owner --dbname '{_pg_target()}' "
                   f"{outfile}\n(see docs/deploy.md, 'Backups and restore')", err=True)
        sys.exit(1)
    if outfile.exists() and not force:
        raise click.ClickException(f"{outfile} exists; choose another name or use --force")
    if not source.exists():
        raise click.ClickException(f"no database at {source}")
    partial = outfile.with_name(outfile.name + ".partial")
    partial.unlink(missing_ok=True)
    copy_sqlite(source, partial)
    counts = _verified(partial, "the copy")
    os.replace(partial, outfile)  # never a half-written OUTFILE
    click.echo(f"backup written to {outfile} (integrity check: ok, schema revision "
               f"{_schema_revision(outfile)}); rows per table:")
    _echo_counts(counts)


def _keep_current(target: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = target.with_name(f"{target.name}.before-restore-{stamp}")
    copy_sqlite(target, kept)
    return kept


@click.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(backup_file: Path, yes: bool) -> None:
    """Replace the database with BACKUP_FILE (stop the app first). The current database is kept
    beside it; the result must pass the integrity check and match the backup's row counts."""
    target = _sqlite_file()
    if target is None:
        click.echo("PostgreSQL: restore with pg_restore (stop the app first):\n"
                   f"  pg_restore --clean --if-exists --no-owner --dbname '{_pg_target()}' "
                   f"{backup_file}", err=True)
        sys.exit(1)
    expected = _verified(backup_file, "the backup")
    if _schema_revision(backup_file) is None:
        raise click.ClickException(f"{backup_file} is not a course_app database "
                                   "(no alembic_version table)")
    if not yes:
        click.confirm(f"Replace {target} with {backup_file}? Stop the app first.", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours keeps the old pages
    kept = _keep_current(target) if target.exists() else None
    copy_sqlite(backup_file, target)
    restored = _verified(target, "the restored database")
    if restored != expected:
        raise click.ClickException(f"row counts differ after restore: {restored} != {expected}")
    click.echo(f"restored {target} from {backup_file} (integrity check: ok, schema revision "
               f"{_schema_revision(target)}); rows per table:")
    _echo_counts(restored)
    if kept is not None:
        click.echo(f"the previous database was kept as {kept}")
    click.echo("next: flask --app course_app db upgrade (if the code is newer than the backup)")


COMMANDS = (check_deploy, backup, restore)
