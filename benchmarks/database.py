"""The benchmark's own databases: a fresh SQLite file, or a fresh PostgreSQL database next to
the test database (never the test database itself), migrated and loaded with the real course
through the app's own commands."""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs our own flask commands
import sys
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_DATABASE = "course_app_bench"


def pg_url(admin_url: str = PG_ADMIN_URL, name: str = PG_DATABASE) -> str:
    """The admin URL with its database name replaced."""
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def fresh_database(kind: str, workdir: Path) -> str:
    """Create an empty database of `kind` ("sqlite" or "postgresql") and return its URL."""
    if kind == "sqlite":
        path = workdir / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return pg_url()


def drop_database(kind: str) -> None:
    if kind == "postgresql":
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def app_environment(url: str, secret: str) -> dict[str, str]:
    """The environment the app runs with, in the flask commands and under gunicorn."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_APP_")}
    env.update({
        "COURSE_APP_DATABASE_URL": url,
        "COURSE_APP_SECRET_KEY": secret,
        "COURSE_APP_CONTENT_ROOT": str(REPO),
        "COURSE_APP_RATELIMIT_STORAGE_URI": "memory://",
        # Every virtual visitor comes from 127.0.0.1: lift the per-address limit on certificate
        # lookups (60 a minute), or the verify scenario would measure 429 pages.
        "COURSE_APP_CERTIFICATE_LOOKUP_LIMIT": "1000000/minute",
    })
    return env


def flask_command(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "course_app", *args]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def migrate_and_load(env: dict[str, str]) -> None:
    flask_command(env, "db", "upgrade", "heads")
    flask_command(env, "content", "load", "--root", str(REPO))
