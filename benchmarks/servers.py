"""Gunicorn servers on 127.0.0.1 (a free port each) and the CPU time their workers spend,
read from /proc."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess  # noqa: S404 - starts our own gunicorn
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .database import REPO

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class GunicornSettings:
    workers: int
    threads: int

    def describe(self) -> str:
        return f"gunicorn gthread, {self.workers} worker(s) × {self.threads} threads"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def children(pid: int) -> list[int]:
    """The child processes of `pid` (forked by any of its threads)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


class Server:
    """`with Server(...) as server:` serves `app` until the block ends."""

    def __init__(self, app: str, env: dict[str, str], settings: GunicornSettings,
                 ready_path: str, log: Path) -> None:
        self.app, self.env, self.settings = app, env, settings
        self.ready_path, self.log = ready_path, log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        # The shipped settings (gunicorn.conf.py: one shared socket, worker recycling, access
        # log); only the address, the workers and the threads come from the command line.
        command = [sys.executable, "-m", "gunicorn", "--config", str(REPO / "gunicorn.conf.py"),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.settings.workers),
                   "--threads", str(self.settings.threads), self.app]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env,  # noqa: S603
                                            stdout=log, stderr=log)
        self._wait_ready()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.ready_path)
                ready = connection.getresponse().status == 200
                connection.close()
                if ready and len(self.workers()) == self.settings.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {self.ready_path} in {timeout} s")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        assert self.process is not None
        return children(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time of the workers so far (a worker that died and was replaced is an error)."""
        total = 0.0
        for pid in self.workers():
            try:
                total += process_cpu_seconds(pid)
            except FileNotFoundError:
                continue
        return total
