from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from . import smtp_server


@pytest.fixture
def smtp(app: Flask) -> Iterator[smtp_server.Inbox]:
    """A real SMTP server on 127.0.0.1 (plain, as a local relay), and the app using it."""
    controller, inbox = smtp_server.start("plain")
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}?tls=none"
    app.config["MAIL_SENDER"] = "khoahoc@example.vn"
    app.config["CERTIFICATE_ISSUER_VI"] = "Sở Nội vụ"
    app.config["CERTIFICATE_ISSUER_EN"] = "Department of Home Affairs"
    yield inbox
    controller.stop()


@pytest.fixture
def wait_jobs() -> Any:
    from course_app import jobs

    return jobs.wait_in_process


@pytest.fixture
def notify_on(app: Flask) -> None:
    """Essay-graded and certificate mails on (the suite's conftest turns them off)."""
    app.config["NOTIFY_EVENTS"] = True


def settle() -> None:
    """Wait for the in-process jobs and the mail jobs they started."""
    from course_app import jobs

    for _ in range(3):
        jobs.wait_in_process()
