"""Invitations end to end (issues 19 and 20), with real mail through a real SMTP server: the
mail arrives in the recipient's language from the organisation's name, the link sets the
password once, a second use, an expired link and a replaced link are refused; a roster can be
imported with invitations, and a trainer re-sends one (throttled, audited)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, Cohort, Organisation, PasswordResetToken, User
from course_app.models.types import utcnow
from course_app.people import invitations

from ..helpers import csrf, post, sign_in

LINK = re.compile(r"https://khoahoc\.example\.vn(/invite/[A-Za-z0-9_-]+)")
ROSTER = Path(__file__).parent.parent / "fixtures" / "roster"
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
NEW = "mật khẩu của riêng tôi"


def _link(message) -> str:
    match = LINK.search(message.get_body(("plain",)).get_content())
    assert match, message.get_body(("plain",)).get_content()
    return match.group(1)


def _choose(client, path, password=NEW):
    return client.post(path, data={"new_password": password, "confirm": password,
                                   "csrf_token": csrf(client, path)})


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def organisation(app) -> int:
    with writing():
        found = Organisation(slug="so-noi-vu", name={"vi": "Sở Nội vụ Hải Phòng",
                                                     "en": "Hai Phong Home Affairs"})
        db.session.add(found)
        db.session.commit()
        return found.id


@pytest.fixture
def admin_client(app, make_user):
    admin = make_user("admin", email="quantri@example.vn", name="Quản Trị Viên")
    client = app.test_client()
    assert sign_in(client, admin.email).status_code == 302
    return client


def _invite_staff(client, organisation_id, email="gv.moi@example.vn"):
    return post(client, "/admin/users/new", {
        "email": email, "name": "Phạm Thu Giang", "role": "trainer",
        "organisation": str(organisation_id), "delivery": "invite"})


def test_a_staff_invitation_sets_the_password_once(app, admin_client, organisation, smtp,
                                                   wait_jobs):
    made = _invite_staff(admin_client, organisation)
    assert made.status_code == 200 and "gv.moi@example.vn" in made.get_data(as_text=True)
    assert 'class="one-time-password"' not in made.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "gv.moi@example.vn"))
    assert user.awaiting_invitation and not user.must_change_password
    wait_jobs()
    [message] = smtp.wait_for(1)
    # In the recipient's language (Vietnamese by default), from the organisation's name.
    assert message["To"].addresses[0].addr_spec == "gv.moi@example.vn"
    assert message["From"].addresses[0].display_name == "Sở Nội vụ Hải Phòng"
    assert message["Content-Language"] == "vi"
    assert message["Subject"] != "Your account is ready: choose your password"
    html = message.get_body(("html",)).get_content()
    path = _link(message)
    assert 'lang="vi"' in html and path in html
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id))
    assert stored.purpose == "invite" and token not in stored.token_hash
    assert stored.expires_at - utcnow() > timedelta(days=6, hours=23)
    # Nothing signs in before the password is chosen.
    assert sign_in(app.test_client(), user.email, "!invited").status_code == 401

    visitor = app.test_client()
    opened = visitor.get(path)
    assert opened.status_code == 200 and opened.headers["Referrer-Policy"] == "no-referrer"
    assert "gv.moi@example.vn" in opened.get_data(as_text=True)
    done = _choose(visitor, path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert sign_in(app.test_client(), user.email, NEW).status_code == 302
    # The link works once.
    assert visitor.get(path).status_code == 404
    assert _choose(app.test_client(), path, "another long password").status_code == 404
    assert sign_in(app.test_client(), user.email, "another long password").status_code == 401
    assert {"user.create", "user.invite", "user.invitation_accepted"} <= set(_actions())


def test_an_expired_invitation_is_refused(app, admin_client, organisation, smtp, wait_jobs):
    _invite_staff(admin_client, organisation)
    wait_jobs()
    [message] = smtp.wait_for(1)
    with writing():
        db.session.execute(sa.update(PasswordResetToken).values(
            expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    page = app.test_client().get(_link(message))
    assert page.status_code == 404
    assert _choose(app.test_client(), _link(message)).status_code == 404


def test_invitation_and_reset_links_are_not_interchangeable(app, admin_client, organisation,
                                                            smtp, wait_jobs):
    _invite_staff(admin_client, organisation)
    wait_jobs()
    [message] = smtp.wait_for(1)
    token = _link(message).rsplit("/", 1)[1]
    assert app.test_client().get(f"/password/reset/{token}").status_code == 404


def test_a_resent_invitation_replaces_the_first_and_is_throttled(
        app, admin_client, organisation, smtp, wait_jobs):
    _invite_staff(admin_client, organisation)
    user = db.session.scalar(sa.select(User).where(User.email == "gv.moi@example.vn"))
    wait_jobs()
    [first] = smtp.wait_for(1)
    post(admin_client, "/language", {"locale": "en", "next": "/"})
    too_soon = post(admin_client, f"/admin/users/{user.id}/invite")
    assert too_soon.status_code == 302
    assert "sent a few minutes ago" in admin_client.get(too_soon.headers["Location"]).get_data(
        as_text=True)
    with writing():  # ten minutes later
        db.session.execute(sa.update(PasswordResetToken).values(
            created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    assert post(admin_client, f"/admin/users/{user.id}/invite").status_code == 302
    wait_jobs()
    messages = smtp.wait_for(2)
    assert len(messages) == 2
    assert app.test_client().get(_link(first)).status_code == 404  # replaced
    assert _choose(app.test_client(), _link(messages[1])).status_code == 302
    # Once the password is chosen, there is nothing to re-send.
    with writing():
        db.session.execute(sa.update(PasswordResetToken).values(
            created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    again = post(admin_client, f"/admin/users/{user.id}/invite")
    assert "already has a password" in admin_client.get(again.headers["Location"]).get_data(
        as_text=True)
    assert len(smtp.wait_for(3, timeout=0.5)) == 2
    assert _actions().count("user.invite") == 2


@pytest.fixture
def trainer(make_user, cohort, organisation):
    with writing():
        db.session.get(Cohort, cohort.id).organisation_id = organisation
        db.session.commit()
    return make_user("trainer", email="giangvien@example.vn", name="Giảng viên An",
                     cohort=cohort)


def test_a_roster_imported_with_invitations(app, trainer, cohort, smtp, wait_jobs):
    client = app.test_client()
    assert sign_in(client, trainer.email).status_code == 302
    preview = post(client, "/reports/cohorts/lop-1/enrol", {
        "file": (io.BytesIO((ROSTER / "bom_comma.csv").read_bytes()), "bom_comma.csv")},
        content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert 'name="delivery" type="radio" value="invite"' in html or 'value="invite"' in html
    token = TOKEN_FIELD.search(html).group(1)
    done = post(client, "/reports/cohorts/lop-1/enrol/confirm",
                {"token": token, "delivery": "invite"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/reports/cohorts/lop-1")
    wait_jobs()
    messages = smtp.wait_for(3)
    assert len(messages) == 3
    assert {m["From"].addresses[0].display_name for m in messages} == {"Sở Nội vụ Hải Phòng"}
    body = messages[0].get_body(("plain",)).get_content()
    assert "Lớp 1" in body  # the cohort's name
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.role == "trainee"))}
    assert all(u.awaiting_invitation for u in users.values())
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "cohort.import"))
    assert event.details["delivery"] == "invite" and event.details["batch_id"] is None
    # The job, run again, sends nothing more (each account has a live invitation).
    from course_app.jobs import runner
    runner.run(app, "course_app.people.invitations:send_batch",
               {"user_ids": [u.id for u in users.values()], "actor_id": trainer.id,
                "cohort_id": cohort.id})
    wait_jobs()
    assert len(smtp.wait_for(4, timeout=0.5)) == 3

    # A trainer re-sends one, later, in the trainee's language.
    hang = users["hang.nt@haiphong.gov.vn"]
    with writing():
        db.session.get(User, hang.id).locale = "en"
        db.session.commit()
    page = f"/reports/cohorts/lop-1/trainees/{hang.id}"
    assert "Send the invitation again" in client.get(page).get_data(as_text=True) or \
        f"/trainees/{hang.id}/invite" in client.get(page).get_data(as_text=True)
    assert post(client, f"{page}/invite").status_code == 302  # too soon: refused, audited
    assert "user.invite_refused" in _actions()
    with writing():
        db.session.execute(sa.update(PasswordResetToken).values(
            created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    assert post(client, f"{page}/invite").status_code == 302
    wait_jobs()
    resent = smtp.wait_for(4)[3]
    assert resent["Subject"] == "Your account is ready: choose your password"
    assert resent["From"].addresses[0].display_name == "Hai Phong Home Affairs"
    assert resent["To"].addresses[0].addr_spec == "hang.nt@haiphong.gov.vn"
    assert _choose(app.test_client(), _link(resent)).status_code == 302
    assert sign_in(app.test_client(), "hang.nt@haiphong.gov.vn", NEW).status_code == 302


def test_the_command_line_import_invites_by_mail(app, runner, cohort, smtp):
    result = runner.invoke(args=["users", "import", str(ROSTER / "semicolon.csv"),
                                 "--cohort", "lop-1", "--invite"])
    assert result.exit_code == 0, result.output
    assert "2 invitation(s) sent by mail" in result.output
    assert len(smtp.wait_for(2)) == 2
    assert invitations.is_invited(db.session.scalar(sa.select(User).where(
        User.role == "trainee").limit(1)))
