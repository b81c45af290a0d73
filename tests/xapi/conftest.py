"""A real LRS for the tests: Ralph (France Université Numérique's open-source LRS, the
`ralph-malph[lrs]` package of the test extra) served by uvicorn on a free port of
127.0.0.1, storing statements in files under the test's temporary directory."""

from __future__ import annotations

import json
import os
import socket
import subprocess  # noqa: S404 - the test's own LRS
import sys
import time
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..helpers import stop_server

bcrypt = pytest.importorskip("bcrypt")
pytest.importorskip("ralph")  # its server runs in a subprocess

USER, SECRET = "course-app", "lrs-secret-for-tests"


@dataclass
class Lrs:
    url: str  # the base, ending in /xAPI/

    def statements(self, **query: str) -> list[dict[str, Any]]:
        from urllib.parse import urlencode

        request = urllib.request.Request(
            self.url + "statements" + ("?" + urlencode(query) if query else ""),
            headers={"X-Experience-API-Version": "1.0.3",
                     "Authorization": "Basic " + b64encode(f"{USER}:{SECRET}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return list(json.loads(response.read())["statements"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    home = tmp_path_factory.mktemp("lrs")
    (home / "data").mkdir()
    digest = bcrypt.hashpw(SECRET.encode(), bcrypt.gensalt(4)).decode()
    (home / "auth.json").write_text(json.dumps([{
        "agent": {"mbox": "mailto:course-app@example.vn"}, "scopes": ["all"],
        "hash": digest, "username": USER}]))
    port = _free_port()
    environment = {**os.environ, "RALPH_APP_DIR": str(home),
                   "RALPH_AUTH_FILE": str(home / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
                   "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(home / "data")}
    with (home / "out.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, str(Path(__file__).with_name("ralph_server.py")), str(port)],
            env=environment, cwd=home,
            stdout=log, stderr=subprocess.STDOUT)
    found = Lrs(f"http://127.0.0.1:{port}/xAPI/")
    try:
        for _ in range(150):
            try:
                found.statements()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((home / "out.log").read_text()) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the LRS did not start: " + (home / "out.log").read_text())
        yield found
    finally:
        stop_server(process)

