"""The mail log page (/admin/mail): site administrators only; newest first, filtered by status,
kind and recipient, paginated; addresses and subjects, never a body or a link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from course_app.admin import mail_views
from course_app.database import writing
from course_app.extensions import db
from course_app.models import MailLog
from course_app.models.types import utcnow

from ..helpers import sign_in


@pytest.fixture
def logged(app, make_user):
    user = make_user(email="hang@example.vn")
    now = utcnow()
    with writing():
        db.session.add_all([
            MailLog(recipient="hang@example.vn", kind="welcome", subject="Chào mừng đến lớp K1",
                    user_id=user.id, status="delivered", attempts=1, delivered_at=now,
                    created_at=now - timedelta(minutes=3), link="https://x.example/secret-ish"),
            MailLog(recipient="binh@example.vn", kind="password_reset", subject="Đặt lại mật khẩu",
                    status="failed", attempts=2, last_error="SMTPRecipientsRefused: 550",
                    created_at=now - timedelta(minutes=2)),
            MailLog(recipient="an@example.vn", kind="digest", subject="Bài chờ chấm hôm nay",
                    status="queued", attempts=0, created_at=now - timedelta(minutes=1)),
        ])
        db.session.commit()
    return user


def _admin(app, make_user):
    client = app.test_client()
    assert sign_in(client, make_user("admin", email="quantri@example.vn").email).status_code == 302
    return client


def _order(page: str, *subjects: str) -> list[int]:
    return [page.index(s) for s in subjects]


def test_the_mail_log_lists_newest_first_and_filters(app, make_user, logged):
    client = _admin(app, make_user)
    page = client.get("/admin/mail").get_data(as_text=True)
    positions = _order(page, "an@example.vn", "binh@example.vn", "hang@example.vn")
    assert positions == sorted(positions)
    assert "secret-ish" not in page  # no link, no body
    assert "SMTPRecipientsRefused: 550" in page and 'href="/admin/mail"' in page
    failed = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "binh@example.vn" in failed and "hang@example.vn" not in failed
    welcome = client.get("/admin/mail?kind=welcome").get_data(as_text=True)
    assert "hang@example.vn" in welcome and "an@example.vn" not in welcome
    found = client.get("/admin/mail?recipient=BINH").get_data(as_text=True)
    assert "binh@example.vn" in found and "hang@example.vn" not in found
    none = client.get("/admin/mail?recipient=%25").get_data(as_text=True)  # % is literal
    assert "hang@example.vn" not in none
    assert client.get("/admin/mail?status=bogus").status_code == 400


def test_the_mail_log_is_paginated(app, make_user, logged, monkeypatch):
    monkeypatch.setattr(mail_views, "PAGE_SIZE", 2)
    client = _admin(app, make_user)
    first = client.get("/admin/mail").get_data(as_text=True)
    assert "an@example.vn" in first and "hang@example.vn" not in first and 'rel="next"' in first
    second = client.get("/admin/mail?page=2").get_data(as_text=True)
    assert "hang@example.vn" in second and "an@example.vn" not in second


def test_the_mail_log_is_for_site_administrators_only(app, make_user, logged):
    for role in ("trainee", "trainer"):
        client = app.test_client()
        sign_in(client, make_user(role).email)
        assert client.get("/admin/mail").status_code == 403
    assert app.test_client().get("/admin/mail").headers["Location"].startswith("/login")


def test_an_organisation_admin_sees_only_mail_to_its_people(app, make_user, cohort):
    from ..organisation_helpers import join, make_organisation, place

    ours = make_organisation()
    place(cohort, ours)
    mine = make_user("trainee", email="mine@example.vn", cohort=cohort)
    foreign = make_user("trainee", email="foreign@example.vn")
    with writing():
        for user in (mine, foreign):
            db.session.add(MailLog(recipient=user.email, kind="welcome", subject="Chào mừng",
                                   user_id=user.id, status="delivered", attempts=1))
        db.session.add(MailLog(recipient="nobody@example.vn", kind="password_reset",
                               subject="Đặt lại", status="queued", attempts=0))
        db.session.commit()
    local = join(make_user("admin", email="qt.noivu@example.vn"), ours)
    client = app.test_client()
    assert sign_in(client, local.email).status_code == 302
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "mine@example.vn" in page
    assert "foreign@example.vn" not in page and "nobody@example.vn" not in page
    site = _admin(app, make_user).get("/admin/mail").get_data(as_text=True)
    assert all(e in site for e in ("mine@", "foreign@", "nobody@"))
