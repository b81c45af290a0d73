"""Where results go: the terminal table, benchmarks/results/latest.json, and the latest-run
section of docs/performance.md (between its markers; the rest of the page is hand-written)."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - asks wrk for its version
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .database import REPO
from .results import Measure, as_json, row, table

RESULTS = REPO / "benchmarks" / "results" / "latest.json"
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    release = dict(re.findall(r'^(\w+)="?([^"\n]*)"?$', Path("/etc/os-release").read_text(), re.M))
    wrk = shutil.which("wrk")
    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True,  # noqa: S603
                                 check=False).stdout.split(" [")[0] if wrk else None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kb / 2**20, 1),
            "os": release.get("PRETTY_NAME", platform.platform()),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "gunicorn": version("gunicorn"), "flask": version("flask"), "wrk": wrk_version}


def rows(runs: list[dict[str, Any]]) -> list[list[str]]:
    return [row(run["database"], Measure(**{k: v for k, v in m.items() if k != "verdict"}))
            for run in runs for m in run["measures"]]


def write_json(summary: dict[str, Any]) -> Path:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return RESULTS


def summary(runs: list[dict[str, Any]], started: str, elapsed: float,
            options: dict[str, Any]) -> dict[str, Any]:
    return {"started": started, "elapsed_s": round(elapsed, 1), "machine": machine(),
            "options": options, "runs": runs}


def serialise(database: str, settings: str, setup: dict[str, Any],
              measures: list[Measure]) -> dict[str, Any]:
    return {"database": database, "server": settings, "setup": setup,
            "measures": [as_json(m) for m in measures]}


def markdown(data: dict[str, Any]) -> str:
    host = data["machine"]
    servers = "; ".join(
        f"{run['database']}: {run['server']} (load average {run['setup']['load_average'][0]} "
        f"before, {run['setup']['load_average'][1]} after)" for run in data["runs"])
    options = data["options"]
    return "\n".join([
        f"Run of {data['started']} (UTC), {data['elapsed_s']:.0f} s in all, on {host['cpu']} "
        f"({host['cores']} cores, {host['memory_gib']} GiB), {host['os']}, Python "
        f"{host['python']}, SQLite {host['sqlite']}, gunicorn {host['gunicorn']}, "
        f"{host['wrk']}. Servers: {servers}. Load: {options['connections']} connections, "
        f"{options['duration']} s per scenario, the load generator on the same cores.",
        "", table(rows(data["runs"])), ""])


def with_section(text: str, body: str) -> str:
    """`text` with the part between the markers replaced by `body` (appended when absent)."""
    section = f"{START}\n{body}\n{END}"
    if START in text and END in text:
        head, _, rest = text.partition(START)
        return head + section + rest.partition(END)[2]
    return text.rstrip("\n") + "\n\n## Latest run\n\n" + section + "\n"


def update_doc(data: dict[str, Any], doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    doc.write_text(with_section(text, markdown(data)), encoding="utf-8")
