"""The burst: every trainee of the cohort submits at the same moment. Each virtual trainee has
its own connection, session cookie and CSRF token, opened beforehand; a barrier releases all
requests together. Then the database must hold exactly one graded attempt per trainee."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa

from course_app.config import normalise_database_url

from .client import USER_AGENT
from .loadgen import Request
from .results import Measure
from .servers import Server


@dataclass
class Outcome:
    started: float = 0.0
    finished: float = 0.0
    status: int = 0
    error: str = ""


def _send(port: int, request: Request, barrier: threading.Barrier, outcome: Outcome) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"User-Agent": USER_AGENT, "Cookie": request.cookie,
               "Content-Type": "application/x-www-form-urlencoded"}
    try:
        connection.connect()
        barrier.wait()
        outcome.started = time.perf_counter()
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        response.read()
        outcome.status = response.status
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
        outcome.error = repr(error)
    finally:
        outcome.finished = time.perf_counter()
        connection.close()


def release_together(port: int, requests: list[Request]) -> tuple[float, list[Outcome]]:
    """Send every request at once; returns the release moment and each outcome."""
    barrier = threading.Barrier(len(requests) + 1)
    outcomes = [Outcome() for _ in requests]
    threading.stack_size(512 * 1024)
    threads = [threading.Thread(target=_send, args=(port, r, barrier, o), daemon=True)
               for r, o in zip(requests, outcomes, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    released = time.perf_counter()
    for thread in threads:
        thread.join(timeout=180)
    return released, outcomes


def graded_count(url: str, attempt_ids: list[int]) -> tuple[int, int]:
    """(graded attempts among attempt_ids, their answer rows)."""
    engine = sa.create_engine(normalise_database_url(url))
    ids = sa.bindparam("ids", expanding=True)
    try:
        with engine.connect() as connection:
            graded = connection.execute(sa.text(
                "SELECT count(*) FROM attempt WHERE id IN :ids AND status <> 'in_progress' "
                "AND percent IS NOT NULL").bindparams(ids), {"ids": attempt_ids}).scalar_one()
            answers = connection.execute(sa.text(
                "SELECT count(*) FROM answer WHERE attempt_id IN :ids").bindparams(ids),
                {"ids": attempt_ids}).scalar_one()
    finally:
        engine.dispose()
    return int(graded), int(answers)


def run_burst(server: Server, url: str, requests: list[Request], attempt_ids: list[int],
              questions: int) -> Measure:
    cpu_before = server.cpu_seconds()
    released, outcomes = release_together(server.port, requests)
    cpu = server.cpu_seconds() - cpu_before
    last = max(o.finished for o in outcomes) - released
    latencies = sorted((o.finished - o.started) * 1000 for o in outcomes if o.status)
    errors = sum(1 for o in outcomes if o.error or o.status != 302)
    graded, answers = graded_count(url, attempt_ids)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else None
    return Measure(
        scenario="burst", label=f"burst: {len(requests)} submit at once",
        requests=len(requests), seconds=round(last, 3),
        rps=round(len(requests) / last, 1) if last > 0 else 0.0,
        p50_ms=round(statistics.median(latencies), 1) if latencies else None,
        p95_ms=round(p95, 1) if p95 is not None else None, errors=errors,
        cpu_ms=round(cpu * 1000 / len(requests), 2),
        extra={"last_answer_s": round(last, 3), "users": len(requests), "graded": graded,
               "answers": answers, "answers_expected": questions,
               "first_errors": sorted({o.error or str(o.status) for o in outcomes
                                       if o.error or o.status != 302})[:5]})
