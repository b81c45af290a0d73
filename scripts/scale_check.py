"""Scale check, run by hand (docs/deploy.md, "Scale"): seeds a PostgreSQL database of its own
with `flask dev seed-scale` (100,000 trainees and 1,000,000 attempts by default), times the pages
that must stay under a second at that size, and EXPLAINs every query they run.

    .venv/bin/python scripts/scale_check.py                      # create, seed, measure, drop
    .venv/bin/python scripts/scale_check.py --keep               # ... and keep the database
    SCALE_CHECK_PASSWORD=… .venv/bin/python scripts/scale_check.py --reuse --keep  # measure again

The database (`course_app_scale` by default) is created next to the admin URL's database, which
is never written to."""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess  # noqa: S404 - runs our own flask commands
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_app import create_app  # noqa: E402
from course_app.cli.dev import DOMAIN  # noqa: E402
from course_app.extensions import db  # noqa: E402
from course_app.models import Certificate, Cohort, User  # noqa: E402

BIG_TABLES = {"user", "enrolment", "lesson_progress", "attempt", "answer", "certificate"}
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
INDEX_USE = re.compile(r"(?:Index Only Scan|Index Scan|Bitmap Index Scan) (?:using|on) (\w+)")
RUNS = 5
LARGE = 50_000  # rows: a sequential scan of a smaller table can be the planner's best choice


@dataclass
class PageResult:
    name: str
    path: str
    times: list[float]
    statements: list[tuple[str, Any]] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    sizes: dict[str, float] = field(default_factory=dict)  # rows per table, as PostgreSQL counts

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

# The seeded accounts' password: random per run; set it to check again with --reuse.
PASSWORD = os.environ.get("SCALE_CHECK_PASSWORD") or secrets.token_urlsafe(12)


def database_url(admin_url: str, name: str) -> str:
    return f"{admin_url.rpartition('/')[0]}/{name}"


def recreate(admin_url: str, name: str, drop_only: bool = False) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def flask(url: str, *args: str) -> float:
    """Run `flask --app course_app ARGS` on `url`; return its wall time in seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_APP_")}
    env.update(COURSE_APP_DATABASE_URL=url, COURSE_APP_CONTENT_ROOT=str(ROOT))
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "flask", "--app", "course_app", *args],  # noqa: S603
                   cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def seed(url: str, trainees: int, attempts: int) -> float:
    flask(url, "db", "upgrade")
    flask(url, "content", "load", "--root", str(ROOT))
    return flask(url, "dev", "seed-scale", "--password", PASSWORD, "--trainees", str(trainees),
                 "--attempts", str(attempts))


@contextmanager
def recording(engine: sa.Engine, statements: list[tuple[str, Any]]) -> Iterator[None]:
    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: HTTP {response.status_code}")
    return client


def measure(engine: sa.Engine, client: FlaskClient, name: str, path: str) -> PageResult:
    result = PageResult(name, path, [])
    response = client.get(path)  # warm: templates compiled, connections open
    if response.status_code != 200:
        raise SystemExit(f"{path} answered HTTP {response.status_code}")
    for run in range(RUNS):
        started = time.perf_counter()
        if run == RUNS - 1:
            with recording(engine, result.statements):
                client.get(path)
        else:
            client.get(path)
        result.times.append(time.perf_counter() - started)
    return result


def explain(result: PageResult) -> None:
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                       "AND relname = ANY(%s)", (sorted(BIG_TABLES),))
        result.sizes = dict(cursor.fetchall())
        for statement, parameters in result.statements:
            cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
            result.plans.append("\n".join(row[0] for row in cursor.fetchall()))
        connection.rollback()
    finally:
        connection.close()


def findings(result: PageResult) -> list[str]:
    lines = []
    for index, plan in enumerate(result.plans, start=1):
        seq = sorted({t for t in SEQ_SCAN.findall(plan) if t in BIG_TABLES})
        large = [t for t in seq if result.sizes.get(t, 0) > LARGE]
        used = sorted(set(INDEX_USE.findall(plan)))
        total = re.search(r"Execution Time: ([\d.]+) ms", plan)
        small = [f"seq scan on {t} ({result.sizes.get(t, 0):.0f} rows)" for t in seq
                 if t not in large]
        flag = "SEQ SCAN on " + ", ".join(large) if large else ", ".join(small) or "ok"
        lines.append(f"    query {index}: {total.group(1) if total else '?'} ms, {flag}; "
                     f"indexes: {', '.join(used) or '-'}")
    return lines


def targets() -> tuple[str, str, str]:
    """A certificate code, a trainee and a cohort half-way through the seeded data."""
    code = db.session.scalar(sa.select(Certificate.code).order_by(Certificate.id.desc()))
    cohorts = db.session.scalar(sa.select(sa.func.count(Cohort.id)).where(
        Cohort.slug.like("scale-%")))
    trainees = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == "trainee"))
    db.session.remove()
    if not cohorts or code is None:
        raise SystemExit("no seeded data: run without --reuse")
    return (code, f"hocvien{trainees // 2 + 1:06d}@{DOMAIN}",
            f"/reports/cohorts/scale-{cohorts // 2 + 1:05d}")


def pages(app: Flask, engine: sa.Engine, code: str, email: str, cohort: str
          ) -> list[PageResult]:
    """Requests run outside any app context of ours, as under a server (no `g` carried over)."""
    trainee, trainer = sign_in(app, email), sign_in(app, f"giangvien@{DOMAIN}")
    return [
        measure(engine, trainee, "trainee dashboard", "/"),
        measure(engine, trainer, "cohort report (500 trainees)", cohort),
        measure(engine, trainer, "item analysis (final exam)", f"{cohort}/quizzes/final-exam"),
        measure(engine, app.test_client(), "verify page", f"/verify/{code}"),
    ]


def report(results: list[PageResult]) -> bool:
    fine = True
    for result in results:
        slow = result.median_ms >= 1000
        fine = fine and not slow and not any("SEQ SCAN" in f for f in findings(result))
        print(f"{result.name:32} {result.median_ms:8.1f} ms median, "
              f"{max(result.times) * 1000:8.1f} ms max, {len(result.statements)} queries "
              f"({result.path}){'  SLOW' if slow else ''}")
        print("\n".join(findings(result)))
    return fine


def check(url: str) -> bool:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "scale-check-" + "x" * 40,
                      "RATELIMIT_STORAGE_URI": "memory://", "CONTENT_ROOT": str(ROOT),
                      "CERTIFICATE_LOOKUP_LIMIT": "100000/minute"})
    with app.app_context():
        engine, found = db.engine, targets()
    results = pages(app, engine, *found)
    with app.app_context():
        for result in results:
            explain(result)
        db.session.remove()
        db.engine.dispose()
    return report(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="course_app_scale")
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()
    url = database_url(args.admin_url, args.database)
    if not args.reuse:
        recreate(args.admin_url, args.database)
        print(f"seed-scale took {seed(url, args.trainees, args.attempts):.0f} s")
    try:
        fine = check(url)
    finally:
        if not args.keep:
            recreate(args.admin_url, args.database, drop_only=True)
    print("all pages under 1 s with index scans" if fine else "SCALE CHECK FAILED")
    sys.exit(0 if fine else 1)


if __name__ == "__main__":
    main()
