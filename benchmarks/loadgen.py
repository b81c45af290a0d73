"""Driving a server with wrk: prepared requests are written to a file that replay.lua replays,
bounded in time; the server's CPU time is read before and after."""

from __future__ import annotations

import json
import shutil
import subprocess  # noqa: S404 - runs wrk
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .results import Measure
from .servers import Server

LUA = Path(__file__).with_name("replay.lua")
WRK_THREADS = 1  # one load-generator thread leaves the cores to the server


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str = ""

    def line(self) -> str:
        for value in (self.method, self.path, self.cookie, self.body):
            if "\t" in value or "\n" in value:
                raise ValueError(f"tabs and newlines cannot be replayed: {value[:40]!r}")
        return "\t".join((self.method, self.path, self.cookie, self.body))


@dataclass
class Scenario:
    name: str
    label: str
    requests: list[Request]
    expect: int = 200
    once: bool = False  # each request at most once (submissions); cycle otherwise
    connections: int | None = None  # fewer for pages that take seconds, so that some finish


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(server: Server, scenario: Scenario, seconds: float, connections: int) -> dict:
    connections = scenario.connections or connections
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.write("\n".join(r.line() for r in scenario.requests) + "\n")
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds:g}s",
               "--timeout", "60s", "-s", str(LUA), server.base_url, "--", listing.name,
               str(scenario.expect), str(WRK_THREADS), "once" if scenario.once else "cycle"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,  # noqa: S603
                              timeout=seconds + 120)
    finally:
        Path(listing.name).unlink(missing_ok=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def measure(server: Server, scenario: Scenario, seconds: float, connections: int,
            warmup: float = 1.0) -> Measure:
    if warmup and not scenario.once:
        run_wrk(server, scenario, warmup, connections)
    cpu_before = server.cpu_seconds()
    stats = run_wrk(server, scenario, seconds, connections)
    cpu = server.cpu_seconds() - cpu_before
    requests = stats["requests"]
    duration = stats["duration_us"] / 1e6
    note = ""
    if scenario.once and stats["wrapped"]:
        # A repeat (an attempt already submitted) is cheap: the figure would flatter the app.
        return Measure(scenario=scenario.name, label=scenario.label, available=False,
                       note=f"pool of {len(scenario.requests)} prepared requests ran out after "
                            f"{requests} requests: rerun with a larger --pool")
    if not requests:
        note = f"no request finished within {seconds:g} s"
    return Measure(
        scenario=scenario.name, label=scenario.label, requests=requests,
        seconds=round(duration, 2), rps=round(requests / duration, 1) if duration else 0.0,
        p50_ms=round(stats["p50_us"] / 1000, 1), p95_ms=round(stats["p95_us"] / 1000, 1),
        errors=stats["socket_errors"] + stats["timeouts"] + stats["unexpected_status"],
        cpu_ms=round(cpu * 1000 / requests, 2) if requests else None, note=note)
