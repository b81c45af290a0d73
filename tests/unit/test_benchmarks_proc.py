"""The benchmark reads the server workers' CPU time from /proc: check it on this process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks.servers import children, free_port, process_cpu_seconds

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")


def test_cpu_seconds_grow_with_work() -> None:
    before = process_cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:
        sum(range(1000))
    assert process_cpu_seconds(os.getpid()) - before >= 0.05


def test_children_lists_a_started_process_and_free_port_is_usable() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in children(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert 1024 < free_port() < 65536
