"""/admin/api-keys: an organisation's admin makes (shown once), lists and revokes (after a
confirmation) its keys; a site admin picks the organisation; everyone else gets 404."""

from __future__ import annotations

import re

import sqlalchemy as sa

from course_app.api import keys
from course_app.database import writing
from course_app.extensions import db
from course_app.models import ApiKey, AuditEvent, User
from course_app.people import accounts

from ..helpers import PASSWORD, csrf, post, sign_in
from .conftest import bearer

SHOWN = re.compile(r'id="new-key"[^>]*value="(ca_[^"]+)"')


def _login(client, user):
    assert sign_in(client, user.email).status_code == 302
    return client


def test_an_organisation_admin_makes_a_key_shown_once(client, orgs):
    a, b = orgs
    _login(client, a.admin)
    page = client.get("/admin/api-keys")
    assert page.status_code == 200 and "HR a" in page.get_data(as_text=True)
    assert "HR b" not in page.get_data(as_text=True)  # another organisation's keys
    made = post(client, "/admin/api-keys", {"name": "Hệ thống nhân sự"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    secret = SHOWN.search(made.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/cohorts", headers=bearer(secret)).json["items"][0]["slug"] == \
        a.cohort.slug
    again = client.get("/admin/api-keys").get_data(as_text=True)
    assert secret not in again and secret[:keys.PREFIX_LENGTH] in again
    stored = db.session.scalar(sa.select(ApiKey).where(ApiKey.name == "Hệ thống nhân sự"))
    assert stored.organisation_id == a.organisation.id and stored.key_hash == keys.hash_key(secret)
    # the organisation field of the form cannot move an organisation admin elsewhere
    post(client, "/admin/api-keys", {"name": "x", "organisation": b.organisation.slug})
    assert db.session.scalar(sa.select(ApiKey.organisation_id).where(ApiKey.name == "x")) == \
        a.organisation.id


def test_a_name_is_required_and_errors_keep_the_input(client, orgs):
    a, _ = orgs
    _login(client, a.admin)
    refused = post(client, "/admin/api-keys", {"name": ""})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    long = post(client, "/admin/api-keys", {"name": "n" * 101})
    assert long.status_code == 400 and "n" * 101 in long.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiKey)) == 2


def test_revoking_asks_first_then_refuses_the_key(client, orgs):
    a, _ = orgs
    _login(client, a.admin)
    key = db.session.scalar(sa.select(ApiKey).where(ApiKey.organisation_id == a.organisation.id))
    confirm = client.get(f"/admin/api-keys/{key.id}/revoke")
    assert confirm.status_code == 200 and key.prefix in confirm.get_data(as_text=True)
    db.session.remove()
    assert db.session.get(ApiKey, key.id).revoked_at is None  # asking changed nothing
    done = post(client, f"/admin/api-keys/{key.id}/revoke")
    assert done.status_code == 302
    db.session.remove()
    assert db.session.get(ApiKey, key.id).revoked_at is not None
    assert client.get("/api/v1/cohorts", headers=bearer(a.key)).status_code == 401
    actions = {e.action for e in db.session.scalars(sa.select(AuditEvent))}
    assert {"api_key.create", "api_key.revoke"} <= actions
    listed = client.get("/admin/api-keys").get_data(as_text=True)
    assert "/revoke" not in listed  # nothing left to revoke


def test_writes_want_the_csrf_token(client, orgs):
    a, _ = orgs
    _login(client, a.admin)
    key_id = db.session.scalar(sa.select(ApiKey.id).where(
        ApiKey.organisation_id == a.organisation.id))
    assert client.post("/admin/api-keys", data={"name": "x"}).status_code == 400
    assert client.post(f"/admin/api-keys/{key_id}/revoke").status_code == 400
    db.session.remove()
    assert db.session.get(ApiKey, key_id).revoked_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiKey)) == 2


def test_another_organisations_admin_and_non_admins_get_404(client, orgs, make_user):
    a, b = orgs
    key_b = db.session.scalar(sa.select(ApiKey).where(ApiKey.organisation_id == b.organisation.id))
    db.session.expunge(key_b)  # only its id is used below
    _login(client, a.admin)
    assert client.get(f"/admin/api-keys/{key_b.id}/revoke").status_code == 404
    assert post(client, f"/admin/api-keys/{key_b.id}/revoke").status_code == 404
    db.session.remove()
    assert db.session.get(ApiKey, key_b.id).revoked_at is None
    for role in ("trainer", "trainee"):
        other = make_user(role)
        viewer = client.application.test_client()
        _login(viewer, other)
        for url in ("/admin/api-keys", f"/admin/api-keys/{key_b.id}/revoke",
                    "/admin/api-keys/reference"):
            assert viewer.get(url).status_code == 404, (role, url)
        token = csrf(viewer)
        assert viewer.post(f"/admin/api-keys/{key_b.id}/revoke",
                           data={"csrf_token": token}).status_code == 404


def test_a_site_admin_picks_the_organisation(client, orgs):
    a, b = orgs
    with writing():
        site = accounts.create_user("site@example.vn", "Quản trị chung", "admin", PASSWORD)
        db.session.commit()
    _login(client, db.session.get(User, site.id))
    start = client.get("/admin/api-keys").get_data(as_text=True)
    assert "HR a" not in start and f'value="{b.organisation.slug}"' in start
    page = client.get(f"/admin/api-keys?organisation={b.organisation.slug}")
    assert "HR b" in page.get_data(as_text=True) and "HR a" not in page.get_data(as_text=True)
    made = post(client, "/admin/api-keys", {"name": "B HR 2", "organisation": b.organisation.slug})
    assert made.status_code == 200 and SHOWN.search(made.get_data(as_text=True))
    assert db.session.scalar(sa.select(ApiKey.organisation_id).where(
        ApiKey.name == "B HR 2")) == b.organisation.id
    assert client.get("/admin/api-keys?organisation=nope").status_code == 404
    for picked in ("", "nope"):  # none picked, or one that is gone: the page says so
        refused = post(client, "/admin/api-keys", {"name": "C", "organisation": picked})
        assert refused.status_code == 400 and 'id="pick-error"' in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(ApiKey.id).where(ApiKey.name == "C")) is None


def test_the_reference_page_lists_every_operation_without_scripts(client, orgs):
    a, _ = orgs
    _login(client, a.admin)
    page = client.get("/admin/api-keys/reference").get_data(as_text=True)
    for resource in ("organisations", "courses", "cohorts", "trainees", "attempts",
                     "certificates"):
        assert f"GET /api/v1/{resource}" in page
    assert "updated_since" in page and "next_cursor" in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert all('src="/static/' in tag for tag in scripts), scripts  # the app's own file only
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert not [link for link in links if "//" in link], links  # nothing from another host
    spec = client.get("/admin/api-keys/openapi.json")
    assert spec.json["openapi"] == "3.1.0"
