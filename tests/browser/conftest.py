"""Real Chromium through Playwright against a live server: werkzeug in a thread on 127.0.0.1,
serving a fresh app on a fresh migrated database (the `app` fixture of tests/conftest.py).

Chromium: $COURSE_APP_CHROMIUM, else Playwright's own build, else the system's
/usr/bin/chromium (Debian's `chromium` package). Without any of them the tests skip and say so.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from .support import Recorder

LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _chromium_executable(playwright: Any) -> str | None:
    configured = os.environ.get("COURSE_APP_CHROMIUM")
    if configured:
        return configured
    try:
        bundled = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises a plain Error when it has no build
        bundled = ""
    if bundled and Path(bundled).is_file():
        return None  # Playwright's own build: no executable_path needed
    for candidate in SYSTEM_CHROMIUMS:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    pytest.skip("no Chromium: install Debian's `chromium` (apt-get install -y chromium), run "
                "`playwright install chromium`, or set COURSE_APP_CHROMIUM to a Chromium binary")
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        executable = _chromium_executable(playwright)
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS,
                                              headless=True)
        yield launched
        launched.close()


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *_args: Any, **_kwargs: Any) -> None:
        pass  # one line per request would bury a failure's own output


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True,
                                  request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def recorder(live_server: LiveServer) -> Iterator[Recorder]:
    """Every request and console error of the contexts it opens; checked at the end."""
    recorder = Recorder(live_server.url)
    yield recorder
    recorder.close()
    recorder.assert_clean()
