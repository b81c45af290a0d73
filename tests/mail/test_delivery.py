"""Mail delivery: the settings URL, STARTTLS and implicit TLS against a real server, the .eml
fallback, and mail only after a commit (never for a rolled-back request, never undoing one)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from course_app import jobs, mail, transaction
from course_app.extensions import db
from course_app.mail.settings import MailSettingsError, parse_mail_url
from course_app.mail.transport import send_smtp
from course_app.models import PasswordResetToken

from ..helpers import csrf, post
from . import smtp_server


def test_the_mail_url():
    server = parse_mail_url("smtp://mailer%40example.vn:p%40ss@mail.example.vn")
    assert (server.host, server.port, server.security) == ("mail.example.vn", 587, "starttls")
    assert (server.username, server.password) == ("mailer@example.vn", "p@ss")
    assert "p@ss" not in repr(server)
    server = parse_mail_url("smtps://u:p@mail.example.vn")
    assert (server.port, server.security) == (465, "tls")
    assert parse_mail_url("smtp://mail.example.vn:2525").port == 2525
    local = parse_mail_url("smtp://localhost?tls=none")
    assert (local.port, local.security, local.username) == (25, "none", None)
    for bad in ("http://mail.example.vn", "smtp://", "smtps://h?tls=none", "smtp://h?tls=yes",
                "smtp://h:port"):
        with pytest.raises(MailSettingsError):
            parse_mail_url(bad)


def _message(app):
    return mail.compose("an@example.vn", "vi", "password_reset", "Đặt lại mật khẩu",
                        name="An", link="https://khoahoc.example.vn/x", minutes=30)


def test_starttls_with_a_login(app, tmp_path, monkeypatch):
    controller, inbox = smtp_server.start("starttls", tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    try:
        url = (f"smtp://{smtp_server.USER.replace('@', '%40')}:s3cret%3Apass"
               f"@127.0.0.1:{controller.port}")
        send_smtp(parse_mail_url(url), _message(app))
        [received] = inbox.wait_for(1)
        assert received["Subject"] == "Đặt lại mật khẩu"
        assert received.get_body(("html",)) is not None
    finally:
        controller.stop()


def test_starttls_refuses_an_untrusted_certificate(app, tmp_path):
    controller, inbox = smtp_server.start("starttls", tmp_path)
    try:
        with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
            send_smtp(parse_mail_url(f"smtp://u:p@127.0.0.1:{controller.port}"), _message(app))
        assert inbox.messages == []
    finally:
        controller.stop()


def test_implicit_tls(app, tmp_path, monkeypatch):
    controller, inbox = smtp_server.start("tls", tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    try:
        send_smtp(parse_mail_url(f"smtps://127.0.0.1:{controller.port}"), _message(app))
        assert len(inbox.wait_for(1)) == 1
    finally:
        controller.stop()


def test_without_a_mail_url_messages_are_written_to_eml_files(app, client, make_user, caplog):
    make_user(email="an@example.vn")
    caplog.set_level(logging.WARNING)
    post(client, "/password/forgot", {"email": "an@example.vn",
                                      "csrf_token": csrf(client, "/password/forgot")})
    jobs.wait_in_process()
    [eml] = list((mail.transport.mail_dir()).glob("*.eml"))
    text = eml.read_text()
    assert "Subject: =?utf-8?" in text or "Subject:" in text
    assert "To: " in text and "an@example.vn" in text
    assert "/password/reset/" in caplog.text and "an@example.vn" in caplog.text


def test_work_after_commit_runs_only_after_a_commit(app):
    ran: list[str] = []
    transaction.after_commit(lambda: ran.append("rolled back"))
    db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()
    transaction.run_after_commit()
    transaction.after_commit(lambda: ran.append("committed"))
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    assert ran == []  # not during the commit: the caller runs it after
    transaction.run_after_commit()
    assert ran == ["committed"]


def test_a_refused_request_sends_nothing(app, client, make_user, smtp):
    make_user(email="an@example.vn")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/password/forgot", data={"email": "an@example.vn"}).status_code == 400
    jobs.wait_in_process()
    assert smtp.messages == []


def test_a_mail_server_that_is_down_keeps_the_request(app, client, make_user, caplog):
    make_user(email="an@example.vn")
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none&timeout=2"
    response = post(client, "/password/forgot", {"email": "an@example.vn",
                                                 "csrf_token": csrf(client, "/password/forgot")})
    jobs.wait_in_process()
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 1
    assert "job course_app.mail.transport:deliver failed" in caplog.text
