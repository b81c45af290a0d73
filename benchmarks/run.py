"""`python -m benchmarks.run`: seed, serve, load, measure and report, on SQLite and PostgreSQL.

    python -m benchmarks.run [--db sqlite,postgresql] [--duration 10] [--connections 16]
                             [--scenarios lesson,attempt,...] [--pool 600] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from . import report, scenarios
from .burst import run_burst
from .client import Browser, sign_in_all
from .database import PG_ADMIN_URL, app_environment, drop_database, fresh_database, migrate_and_load
from .loadgen import measure, wrk_available
from .results import Measure, apply_ratios, table
from .seed import COHORT, PASSWORD, Seeded, seed
from .servers import GunicornSettings, Server

# SQLite serves from one process (several writers would have to queue on file locks);
# PostgreSQL from one worker per core. Two threads: requests are CPU-bound Python, and with 8
# threads the GIL hand-overs cost a fifth more CPU per request (measured: lesson page 8.6 ms
# with 8 threads, 7.2 ms with 2, same hello-world throughput).
PROFILES = {"sqlite": GunicornSettings(workers=1, threads=2),
            "postgresql": GunicornSettings(workers=os.cpu_count() or 2, threads=2)}
# Each submission needs an attempt of its own, prepared by the seed: the scenario is timed for
# at most this long so that the pool (--pool) outlasts it and every timed request is real.
SUBMIT_SECONDS = 5.0
SCENARIOS = ("lesson", "attempt", "save", "submit", "dashboard", "pdf", "verify", "burst")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "sqlite,postgresql"))
    parser.add_argument("--duration", type=float,
                        default=float(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scenarios", default=os.environ.get("BENCH_SCENARIOS",
                                                              ",".join(SCENARIOS)))
    parser.add_argument("--cohort", type=int, default=500, help="trainees in the cohort/burst")
    parser.add_argument("--pool", type=int, default=2500,
                        help="open attempts prepared for the submission scenario: more than "
                             "it can submit in SUBMIT_SECONDS (about 300/s at most on 2 cores)")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    return parser.parse_args()


def dashboard_or_absent(server: Server, trainer_cookie: str) -> str | None:
    """None when the dashboard answers; otherwise why it cannot be measured."""
    browser = Browser(server.port)
    browser.session = trainer_cookie.partition("=")[2]
    status, _ = browser.request("GET", f"/reports/cohorts/{COHORT}")
    browser.close()
    return None if status == 200 else f"not available: GET /reports/cohorts/<cohort> -> {status}"


def app_measures(server: Server, url: str, seeded: Seeded, wanted: set[str],
                 args: argparse.Namespace) -> list[Measure]:
    started = time.perf_counter()
    cohort_sessions = sign_in_all(server.port, PASSWORD, [t.email for t in seeded.cohort])
    pool_sessions = sign_in_all(server.port, PASSWORD, [t.email for t in seeded.pool]) \
        if "submit" in wanted else []
    trainer = sign_in_all(server.port, PASSWORD, [seeded.trainer])[0]
    say(f"  signed in {len(cohort_sessions) + len(pool_sessions) + 1} users "
        f"in {time.perf_counter() - started:.1f} s")
    by_email = dict(zip([t.email for t in seeded.cohort], cohort_sessions, strict=True))
    readers = seeded.cohort[:100]
    reader_sessions = [by_email[t.email] for t in readers]
    holders = seeded.certificates
    planned = {
        "lesson": lambda: scenarios.lesson_pages(seeded, reader_sessions[:scenarios.READERS]),
        "attempt": lambda: scenarios.attempt_pages(readers, reader_sessions),
        "save": lambda: scenarios.save_answers(readers, reader_sessions),
        "submit": lambda: scenarios.submissions(seeded.pool, pool_sessions),
        "dashboard": lambda: scenarios.dashboard(trainer),
        "pdf": lambda: scenarios.certificate_pdfs(holders, [by_email[t.email] for t in holders]),
        "verify": lambda: scenarios.verify_pages(seeded),
    }
    results = []
    for name, build in planned.items():
        if name not in wanted:
            continue
        absent = dashboard_or_absent(server, trainer.cookie) if name == "dashboard" else None
        scenario = build()
        if absent:
            results.append(Measure(name, scenario.label, available=False, note=absent))
        else:
            seconds = min(args.duration, SUBMIT_SECONDS) if name == "submit" else args.duration
            results.append(measure(server, scenario, seconds, args.connections))
        say(f"  {scenario.label}: {results[-1].rps} req/s {results[-1].note}")
    if "burst" in wanted:
        requests = scenarios.submit_requests(seeded.cohort, cohort_sessions)
        results.append(run_burst(server, url, requests, [t.attempt_id for t in seeded.cohort],
                                 sum(len(t.questions) for t in seeded.cohort)))
        say(f"  burst: last answer after {results[-1].seconds} s, {results[-1].errors} errors")
    return results


def bench_database(kind: str, args: argparse.Namespace, log: Path) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"course-app-bench-{kind}-"))
    secret = secrets.token_urlsafe(48)
    started = time.perf_counter()
    url = fresh_database(kind, workdir)
    env = app_environment(url, secret)
    try:
        migrate_and_load(env)
        seeded = seed(url, secret, args.cohort, args.pool)
        setup = {"seconds": round(time.perf_counter() - started, 1),
                 "load_average": round(os.getloadavg()[0], 1), "trainees": len(
            seeded.cohort), "pool": len(seeded.pool), "certificates": len(seeded.certificates)}
        say(f"{kind}: seeded in {setup['seconds']} s")
        settings = PROFILES[kind]
        wanted = set(args.scenarios.split(","))
        with Server("benchmarks.hello:app", env, settings, "/", log) as hello:
            measures = [measure(hello, scenarios.hello(), args.duration, args.connections)]
        say(f"  hello-world: {measures[0].rps} req/s")
        with Server("course_app:create_app()", env, settings, "/healthz", log) as server:
            measures += app_measures(server, url, seeded, wanted, args)
        apply_ratios(measures)
        setup["load_average"] = [setup["load_average"], round(os.getloadavg()[0], 1)]
        return report.serialise(kind, settings.describe(), setup, measures)
    finally:
        drop_database(kind)
        shutil.rmtree(workdir, ignore_errors=True)


def postgres_reachable() -> bool:
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def main() -> int:
    args = options()
    if not wrk_available():
        say("wrk is needed: apt-get install -y wrk (Debian/Ubuntu)")
        return 2
    began, started = time.perf_counter(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    log = Path(tempfile.gettempdir()) / "course-app-bench-gunicorn.log"
    runs = []
    for kind in args.db.split(","):
        if kind == "postgresql" and not postgres_reachable():
            say(f"postgresql: skipped, nothing answers at {PG_ADMIN_URL} (set BENCH_PG_ADMIN_URL)")
            continue
        runs.append(bench_database(kind, args, log))
    data = report.summary(runs, started, time.perf_counter() - began, {
        "duration": args.duration, "connections": args.connections, "pool": args.pool,
        "cohort": args.cohort, "scenarios": args.scenarios})
    print(table(report.rows(runs)))
    say(f"results: {report.write_json(data)} ({data['elapsed_s']} s in all)")
    if not args.no_docs:
        report.update_doc(data)
    failed = [m for run in runs for m in run["measures"] if m["errors"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
