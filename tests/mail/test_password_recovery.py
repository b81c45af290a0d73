"""Password recovery end to end (issue 20), with real mail through a real SMTP server."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, PasswordResetToken, User
from course_app.models.types import utcnow
from course_app.people import accounts

from ..helpers import PASSWORD, csrf, post, sign_in

NEW = "một mật khẩu mới rất dài"
LINK = re.compile(r"https://khoahoc\.example\.vn(/password/reset/[A-Za-z0-9_-]+)")
# A signed CSRF token carries the second it was signed: two pages a second apart differ there.
SIGNED = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{20,}")


def _forgot(client, email):
    return post(client, "/password/forgot", {"email": email,
                                             "csrf_token": csrf(client, "/password/forgot")})


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def _reset(client, path, password=NEW):
    token = csrf(client, path)
    return client.post(path, data={"new_password": password, "confirm": password,
                                   "csrf_token": token})


def test_the_whole_flow_in_english(app, client, make_user, smtp, wait_jobs):
    user = make_user(email="an@example.vn", name="Trần Văn An")
    with writing():
        db.session.get(User, user.id).locale = "en"
        db.session.commit()
    other_device = app.test_client()
    assert sign_in(other_device, "an@example.vn").status_code == 302

    page = _forgot(client, "An@Example.vn ")
    assert page.status_code == 200
    assert "we have sent it a link" in page.get_data(as_text=True) or \
        "đã gửi" in page.get_data(as_text=True)
    wait_jobs()
    [message] = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "an@example.vn"
    assert message["From"].addresses[0].display_name == "Department of Home Affairs"
    assert message["From"].addresses[0].addr_spec == "khoahoc@example.vn"
    assert message["Subject"] == "Reset your password"
    html = message.get_body(("html",)).get_content()
    assert 'lang="en"' in html and "Choose a new password" in html
    path = _link(message)
    assert path in html
    # Only a hash is stored.
    stored = db.session.scalar(sa.select(PasswordResetToken.token_hash))
    assert path.rsplit("/", 1)[1] not in stored

    opened = client.get(path)
    assert opened.status_code == 200
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    done = _reset(client, path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    # The link works once.
    assert client.get(path).status_code == 404
    assert _reset(client, path, "yet another long password").status_code == 404
    # Every session of the account ended; the new password signs in, the old one does not.
    assert other_device.get("/").status_code == 302
    assert sign_in(app.test_client(), "an@example.vn").status_code == 401
    assert sign_in(app.test_client(), "an@example.vn", NEW).status_code == 302
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"auth.password_reset_requested", "auth.password_reset",
            "user.password_change"} <= actions


def test_vietnamese_by_default(client, make_user, smtp, wait_jobs):
    make_user(email="binh@example.vn", name="Lê Thị Bình")
    _forgot(client, "binh@example.vn")
    wait_jobs()
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Đặt lại mật khẩu"
    assert message["From"].addresses[0].display_name == "Sở Nội vụ"
    assert "Lê Thị Bình" in message.get_body(("plain",)).get_content()
    assert 'lang="vi"' in message.get_body(("html",)).get_content()


def test_unknown_and_disabled_addresses_get_the_same_answer(client, make_user, smtp, wait_jobs):
    make_user(email="cuong@example.vn")
    disabled = make_user(email="dung@example.vn")
    with writing():
        db.session.get(User, disabled.id).active = False
        db.session.commit()
    pages = []
    for email in ("cuong@example.vn", "nobody@example.vn", "dung@example.vn"):
        response = _forgot(client, email)
        assert response.status_code == 200
        pages.append(SIGNED.sub("TOKEN", response.get_data(as_text=True).replace(email, "EMAIL")))
    assert pages[0] == pages[1] == pages[2]
    wait_jobs()
    assert len(smtp.wait_for(1)) == 1
    assert smtp.envelopes[0].rcpt_tos == ["cuong@example.vn"]
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 1


def test_the_request_does_the_same_work_for_every_address(app, client, make_user, smtp,
                                                          wait_jobs, monkeypatch):
    """The same statements and the same one job for a known, an unknown and a disabled address:
    the token and the mail are made by the job, after the answer (SECURITY promise 27)."""
    from course_app import jobs

    make_user(email="cuong@example.vn")
    disabled = make_user(email="dung@example.vn")
    with writing():
        db.session.get(User, disabled.id).active = False
        db.session.commit()
    started: list[tuple[str, dict]] = []
    monkeypatch.setattr(jobs, "_dispatch", lambda _app, name, arguments: started.append(
        (name, {k: v for k, v in arguments.items() if k != "email"})))
    request_thread, statements = threading.get_ident(), []

    def record(_conn, _cursor, statement, *_args):
        if threading.get_ident() == request_thread:
            statements.append(statement)

    work = []
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        for email in ("cuong@example.vn", "nobody@example.vn", "dung@example.vn"):
            statements.clear()
            assert _forgot(client, email).status_code == 200
            work.append(list(statements))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert work[0] == work[1] == work[2] and work[0]
    assert started == [("course_app.accounts.reset_mail:send_link", {"locale": "vi"})] * 3
    assert db.session.scalar(sa.select(sa.func.count(PasswordResetToken.id))) == 0


def test_the_link_expires_after_30_minutes(client, make_user, smtp, wait_jobs):
    make_user(email="em@example.vn")
    _forgot(client, "em@example.vn")
    wait_jobs()
    path = _link(smtp.wait_for(1)[0])
    row = db.session.scalar(sa.select(PasswordResetToken))
    assert timedelta(minutes=29) < row.expires_at - row.created_at <= timedelta(minutes=30)
    with writing():
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page = client.get(path)
    assert page.status_code == 404
    assert "/password/forgot" in page.get_data(as_text=True)
    assert _reset(client, path).status_code == 404


def test_a_later_password_change_spends_the_link(client, make_user, smtp, wait_jobs):
    user = make_user(email="giang@example.vn")
    _forgot(client, "giang@example.vn")
    wait_jobs()
    path = _link(smtp.wait_for(1)[0])
    with writing():
        accounts.change_password(db.session.get(User, user.id), "changed by a trainer 123")
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_new_password_follows_the_rules(client, make_user, smtp, wait_jobs):
    make_user(email="ha@example.vn")
    _forgot(client, "ha@example.vn")
    wait_jobs()
    path = _link(smtp.wait_for(1)[0])
    assert _reset(client, path, "short").status_code == 400
    token = csrf(client, path)
    differ = client.post(path, data={"new_password": NEW, "confirm": NEW + "x",
                                     "csrf_token": token})
    assert differ.status_code == 400
    assert client.get(path).status_code == 200  # not spent by a refused form
    assert sign_in(client, "ha@example.vn", PASSWORD).status_code == 302


def test_requests_are_throttled_per_account_and_address(app, client, make_user, smtp, wait_jobs):
    make_user(email="khanh@example.vn")
    for _ in range(3):
        assert _forgot(client, "khanh@example.vn").status_code == 200
    assert _forgot(client, "khanh@example.vn").status_code == 429
    for _ in range(3):  # an unknown address is counted alike: the answer tells nothing
        assert _forgot(client, "ghost@example.vn").status_code == 200
    assert _forgot(client, "ghost@example.vn").status_code == 429
    wait_jobs()
    assert len(smtp.wait_for(3)) == 3
    app.config["RECOVERY_LIMIT_PER_IP"] = "1/minute"
    from course_app.security import throttle

    throttle.init_app(app)
    assert _forgot(client, "lan@example.vn").status_code == 200
    assert _forgot(client, "minh@example.vn").status_code == 429


def test_the_sign_in_page_links_to_recovery(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in html
