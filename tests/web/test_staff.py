"""Staff accounts in the browser (issue 19): /admin/users/new with a one-time password shown
once, bad input beside its field, an organisation's administrator kept to their organisation,
disable / enable / role change audited, and the last site administrator kept."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, Organisation, User

from ..helpers import post, sign_in

OPTION = re.compile(r'<option[^>]*value="(\d*)"[^>]*>([^<]*)</option>')


def reload(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def organisations(app):
    with writing():
        found = [Organisation(slug="so-noi-vu", name={"vi": "Sở Nội vụ", "en": "Home Affairs"}),
                 Organisation(slug="so-y-te", name={"vi": "Sở Y tế", "en": "Health Department"})]
        db.session.add_all(found)
        db.session.commit()
        return [o.id for o in found]


@pytest.fixture
def site_admin(make_user):
    return make_user("admin", email="quantri@example.vn", name="Quản Trị Viên")


def client_of(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def org_admin(make_user, organisation_id):
    user = make_user("admin", email="qt.noivu@example.vn", name="Quản trị Nội vụ")
    with writing():
        db.session.get(User, user.id).organisation_id = organisation_id
        db.session.commit()
    return user


def new_staff(client, **fields):
    data = {"email": "gv.moi@example.vn", "name": "Giảng  Viên Mới", "role": "trainer",
            "organisation": "", "delivery": "password", **fields}
    return post(client, "/admin/users/new", data)


def test_the_form_offers_organisations_by_name(app, site_admin, organisations):
    page = client_of(app, site_admin).get("/admin/users/new").get_data(as_text=True)
    options = dict(OPTION.findall(page))
    assert options[str(organisations[0])] == "Sở Nội vụ"
    assert options[str(organisations[1])] == "Sở Y tế"
    assert "" in options  # a site administrator may create staff of no organisation
    for name in ('name="email"', 'name="name"', 'name="role"', 'name="organisation"'):
        assert name in page


def test_a_trainer_is_created_with_a_one_time_password_shown_once(app, site_admin,
                                                                  organisations):
    client = client_of(app, site_admin)
    done = new_staff(client, organisation=str(organisations[1]))
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    password = re.search(r'class="one-time-password">([^<]+)<', done.get_data(as_text=True))[1]
    user = db.session.scalar(sa.select(User).where(User.email == "gv.moi@example.vn"))
    assert (user.role, user.full_name, user.organisation_id) == (
        "trainer", "Giảng Viên Mới", organisations[1])
    assert user.must_change_password and password not in user.password_hash
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "user.create", AuditEvent.target == f"user:{user.id}"))
    assert event.actor_id == site_admin.id and event.details["delivery"] == "password"
    assert password not in str(event.details)
    # The password is on no other page, and signs the trainer in (to choose their own).
    assert password not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    trainer = app.test_client()
    assert sign_in(trainer, user.email, password).status_code == 302
    assert trainer.get("/").headers["Location"].endswith("/account/password")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "not-an-address"}, "email", "not a valid email"),
    ({"email": "quantri@example.vn"}, "email", "already exists"),
    ({"organisation": "999"}, "organisation", "listed organisations"),
    ({"role": "trainee"}, "role", "listed roles"),
    ({"name": "   "}, "name", "full name"),
])
def test_bad_input_is_shown_beside_the_field_and_kept(app, site_admin, organisations, fields,
                                                      field, message):
    client = client_of(app, site_admin)
    post(client, "/language", {"locale": "en", "next": "/"})
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    page = new_staff(client, **fields)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]+)</p>', html)
    assert error and message in error[1], html
    assert 'value="Giảng  Viên Mới"' in html or field == "name"  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_an_organisation_admin_creates_in_their_organisation_only(app, make_user,
                                                                  organisations, site_admin):
    admin = org_admin(make_user, organisations[0])
    client = client_of(app, admin)
    options = dict(OPTION.findall(client.get("/admin/users/new").get_data(as_text=True)))
    assert set(options) == {str(organisations[0])}
    assert new_staff(client, organisation=str(organisations[1])).status_code == 400
    assert new_staff(client, organisation="").status_code == 400
    assert db.session.scalar(sa.select(User).where(User.email == "gv.moi@example.vn")) is None
    assert new_staff(client, organisation=str(organisations[0])).status_code == 200
    made = db.session.scalar(sa.select(User).where(User.email == "gv.moi@example.vn"))
    assert made.organisation_id == organisations[0]
    # Accounts of another organisation, or of none, are not theirs to see or change.
    listed = client.get("/admin/users").get_data(as_text=True)
    assert "gv.moi@example.vn" in listed and site_admin.email not in listed
    assert client.get(f"/admin/users/{site_admin.id}").status_code == 404
    assert post(client, f"/admin/users/{site_admin.id}/disable").status_code == 404
    assert client.get(f"/admin/users/{made.id}").status_code == 200


def test_disable_enable_and_role_change_are_audited(app, site_admin, make_user):
    trainer = make_user("trainer", email="gv@example.vn")
    client = client_of(app, site_admin)
    assert post(client, f"/admin/users/{trainer.id}/disable").status_code == 302
    assert not reload(trainer.id).active
    assert sign_in(app.test_client(), trainer.email).status_code == 401
    assert post(client, f"/admin/users/{trainer.id}/enable").status_code == 302
    assert reload(trainer.id).active
    assert post(client, f"/admin/users/{trainer.id}/role", {"role": "admin"}).status_code == 302
    assert reload(trainer.id).role == "admin"
    assert {"user.disable", "user.enable", "user.role_change"} <= set(actions())


def test_the_last_site_admin_is_never_disabled_or_demoted(app, site_admin, make_user,
                                                          organisations):
    # An organisation's administrator does not count: the site needs one of its own.
    org_admin(make_user, organisations[0])
    client = client_of(app, site_admin)
    post(client, "/language", {"locale": "en", "next": "/"})
    refused = post(client, f"/admin/users/{site_admin.id}/disable")
    assert refused.status_code == 400
    assert "At least one active administrator must remain" in refused.get_data(as_text=True)
    demoted = post(client, f"/admin/users/{site_admin.id}/role", {"role": "trainer"})
    assert demoted.status_code == 400
    assert "At least one active administrator must remain" in demoted.get_data(as_text=True)
    kept = reload(site_admin.id)
    assert kept.active and kept.role == "admin"
    # A second site administrator may be demoted while the first remains, and then the first
    # is the last again; with a third, the first may go.
    second = make_user("admin", email="quantri2@example.vn")
    assert post(client, f"/admin/users/{second.id}/role", {"role": "trainer"}).status_code == 302
    assert post(client, f"/admin/users/{site_admin.id}/disable").status_code == 400
    third = make_user("admin", email="quantri3@example.vn")
    assert post(client_of(app, third), f"/admin/users/{site_admin.id}/disable").status_code == 302
    assert not reload(site_admin.id).active


def test_an_organisation_admin_may_be_disabled_while_a_site_admin_remains(
        app, site_admin, make_user, organisations):
    admin = org_admin(make_user, organisations[0])
    client = client_of(app, site_admin)
    assert post(client, f"/admin/users/{admin.id}/disable").status_code == 302
    assert not reload(admin.id).active
