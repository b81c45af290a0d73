"""The mail log (issue 20): every mail handed to the mail job is a row, marked delivered by a
real SMTP server, failed (with the error) by one that refuses or is down while the user's
action still succeeds, and delivered by the job's retry once the server answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from course_app import jobs
from course_app.database import writing
from course_app.extensions import db
from course_app.jobs import runner
from course_app.models import MailLog, PasswordResetToken
from course_app.models.types import utcnow

from ..helpers import csrf, post
from . import smtp_server
from .test_queue import jobs_redis  # noqa: F401  (the fixture)


class Refusing:
    async def handle_RCPT(self, _server: Any, _session: Any, _envelope: Any,  # noqa: N802
                          _address: str, _options: list[str]) -> str:
        return "550 5.1.1 mailbox unavailable"


def _forgot(client: Any, email: str) -> Any:
    return post(client, "/password/forgot", {"email": email,
                                             "csrf_token": csrf(client, "/password/forgot")})


def _rows() -> list[MailLog]:
    db.session.rollback()  # a fresh snapshot: the jobs wrote in their own transactions
    return list(db.session.scalars(sa.select(MailLog).order_by(MailLog.id)))


def test_a_delivered_mail_is_recorded_without_its_link(app, client, make_user, smtp):
    user = make_user(email="an@example.vn")
    assert _forgot(client, "an@example.vn").status_code == 200
    jobs.wait_in_process()
    assert len(smtp.wait_for(1)) == 1
    [row] = _rows()
    assert (row.recipient, row.kind, row.user_id, row.status, row.attempts) == \
        ("an@example.vn", "password_reset", user.id, "delivered", 1)
    assert row.delivered_at is not None and row.last_error is None
    assert row.link is None  # a reset link is a secret: never kept
    assert row.subject == str(smtp.messages[0]["Subject"])


def test_an_unknown_address_leaves_no_row(app, client, smtp):
    assert _forgot(client, "nobody@example.vn").status_code == 200
    jobs.wait_in_process()
    assert _rows() == []


def test_a_refusing_server_marks_the_mail_failed_and_the_retry_delivers_it(
        app, client, make_user, smtp, monkeypatch):
    make_user(email="an@example.vn")
    refusing = Controller(Refusing(), hostname="127.0.0.1", port=smtp_server.free_port())
    refusing.start()
    sent: list[dict[str, Any]] = []  # the arguments of the mail jobs started
    original = jobs._dispatch
    monkeypatch.setattr(jobs, "_dispatch", lambda a, name, arguments: (
        sent.append(arguments) if name.endswith(":deliver") else None,
        original(a, name, arguments)))
    good_url = app.config["MAIL_URL"]
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{refusing.port}?tls=none&timeout=5"
    try:
        response = _forgot(client, "an@example.vn")
        jobs.wait_in_process()
    finally:
        refusing.stop()
    assert response.status_code == 200  # the user's action succeeded
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 1
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "SMTPRecipientsRefused" in row.last_error and "mailbox unavailable" in row.last_error
    assert smtp.messages == []
    # The queue's retry, once the server answers: the same row, delivered, one mail.
    app.config["MAIL_URL"] = good_url
    runner.run(app, "course_app.mail.transport:deliver", sent[0])
    runner.run(app, "course_app.mail.transport:deliver", sent[0])  # a job run twice
    [row] = _rows()
    assert (row.status, row.attempts, row.last_error) == ("delivered", 2, None)
    assert len(smtp.wait_for(1)) == 1


def test_a_server_that_is_down_marks_the_mail_failed(app, client, make_user):
    make_user(email="an@example.vn")
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none&timeout=2"
    assert _forgot(client, "an@example.vn").status_code == 200
    jobs.wait_in_process()
    [row] = _rows()
    assert row.status == "failed" and row.delivered_at is None
    assert "ConnectionRefusedError" in row.last_error


def test_on_the_redis_queue_the_retry_updates_the_failed_row(app, client, make_user, smtp,
                                                             jobs_redis):  # noqa: F811
    from course_app.jobs import queue

    make_user(email="an@example.vn")
    good_url = app.config["MAIL_URL"]
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none&timeout=2"
    assert _forgot(client, "an@example.vn").status_code == 200
    assert _rows() == []  # the link and its mail are the recovery job's, on the queue
    # The recovery job records the mail; the server is down: each try of the mail job (retried
    # at once here, JOBS_RETRY_SECONDS = 0) updates the row, until the job goes to the
    # dead-letter list after JOBS_MAX_ATTEMPTS (3).
    queue.work(app, burst=True)
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in row.last_error
    app.config["MAIL_URL"] = good_url
    assert queue.retry_dead(app) == 1  # `flask jobs retry-dead`, once the server is back
    queue.work(app, burst=True)
    [row] = _rows()
    assert (row.status, row.attempts, row.last_error) == ("delivered", 4, None)
    assert len(smtp.wait_for(1)) == 1


def test_purge_log_forgets_only_rows_older_than_the_days(app, make_user, runner):
    user = make_user(email="ba@example.vn")
    now = utcnow()
    with writing():
        for days in (400, 366, 364, 1):
            db.session.add(MailLog(recipient=user.email, kind="welcome", subject=f"{days}",
                                   user_id=user.id, status="delivered", attempts=1,
                                   created_at=now - timedelta(days=days)))
        db.session.commit()
    result = runner.invoke(args=["notify", "purge-log"])
    assert result.exit_code == 0 and "2 mail log row(s) older than 365 day(s)" in result.output
    assert [row.subject for row in _rows()] == ["364", "1"]
    assert "1 mail log row(s) older than 30" in \
        runner.invoke(args=["notify", "purge-log", "--days", "30"]).output
    assert [row.subject for row in _rows()] == ["1"]
