"""Migrations (SECURITY.md 22): one head, and upgrading an empty database gives exactly the
models' schema; on SQLite always, and on PostgreSQL when the suite runs there."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from course_app.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "course_app" / "migrations"


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_there_is_one_head():
    heads = _script().get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision (flask db merge heads)"


def test_every_revision_reaches_the_base():
    script = _script()
    revisions = list(script.walk_revisions())
    assert revisions and revisions[-1].down_revision is None
    assert len({r.revision for r in revisions}) == len(revisions)


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "compare_server_default": False})
        return compare_metadata(context, db.metadata)


def test_upgraded_sqlite_equals_the_models(sqlite_app):
    assert _differences(db.engine) == []


def test_upgraded_suite_database_equals_the_models(app):
    """The suite's database (PostgreSQL in CI's second run) was built by the migrations."""
    assert _differences(db.engine) == []


def test_upgraded_database_has_the_sqlite_partial_indexes(sqlite_app):
    names = {row[0] for row in db.session.execute(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'"))}
    assert {"uq_attempt_open", "uq_certificate_current"} <= names
