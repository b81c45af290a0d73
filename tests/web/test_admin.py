"""Administration: users (search, roles, enable/disable, password reset) and the audit log with
its CSV export. SECURITY.md 3, 7, 8, 16, 18."""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, User
from course_app.models.types import utcnow
from course_app.people import audit
from course_app.security.access import policy_of

from ..helpers import PASSWORD, csrf, post, sign_in

ENDPOINTS = ("admin.index", "admin.users", "admin.user", "admin.change_role", "admin.enable",
             "admin.disable", "admin.reset_password", "admin.audit_log", "admin.audit_csv",
             "admin.new_user", "admin.resend_invitation",
             "admin.mail_log",  # the mail log (course_app/admin/mail_views.py)
             # failed background jobs (course_app/admin/jobs_views.py)
             "admin.jobs", "admin.retry_job", "admin.delete_job",
             # the API's key page (course_app/api/views.py)
             "api_keys.index", "api_keys.create", "api_keys.confirm_revoke", "api_keys.revoke",
             "api_keys.reference", "api_keys.openapi")


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="quantri@example.vn", name="Quản Trị Viên")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    assert sign_in(client, admin.email).status_code == 302
    return client


def test_every_admin_route_is_admin_only(app):
    for endpoint in ENDPOINTS:
        assert policy_of(app, endpoint) == "admin", endpoint
    declared = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/admin")
                and r.endpoint.split(".")[0] in ("admin", "api_keys")}
    assert declared == set(ENDPOINTS)  # organisations.*: test_organisations.py


def test_trainers_and_trainees_are_refused(app, make_user):
    for role in ("trainee", "trainer"):
        client = app.test_client()
        sign_in(client, make_user(role).email)
        assert client.get("/admin/users").status_code == 403
        assert post(client, "/admin/audit.csv").status_code == 403
    assert app.test_client().get("/admin/users").headers["Location"].startswith("/login")


def test_user_search_ignores_accents_and_filters(admin_client, make_user):
    make_user("trainee", email="hang@example.vn", name="Nguyễn Thị Hằng", unit="Sở Văn hóa")
    make_user("trainer", email="an@example.vn", name="Trần Văn An", unit="Ban Tuyên giáo")
    off = make_user("trainee", email="binh@example.vn", name="Lê Bình")
    with writing():
        reload(off).active = False
        db.session.commit()
    page = admin_client.get("/admin/users?q=nguyen+hang").get_data(as_text=True)
    assert "hang@example.vn" in page and "an@example.vn" not in page
    assert "an@example.vn" in admin_client.get("/admin/users?q=tuyen+giao").get_data(as_text=True)
    trainers = admin_client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "an@example.vn" in trainers and "hang@example.vn" not in trainers
    disabled = admin_client.get("/admin/users?status=disabled").get_data(as_text=True)
    assert "binh@example.vn" in disabled and "hang@example.vn" not in disabled
    bad = admin_client.get("/admin/users?role=superuser")
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)


def test_user_list_runs_a_fixed_number_of_queries(app, admin_client, admin, count_queries):
    shared_hash = admin.password_hash

    def add(count: int) -> None:
        with writing():
            start = db.session.scalar(sa.select(sa.func.count(User.id)))
            db.session.add_all(User(email=f"u{start + i}@example.vn", full_name=f"Người {i}",
                                    password_hash=shared_hash) for i in range(count))
            db.session.commit()

    add(3)
    with count_queries() as few:
        assert admin_client.get("/admin/users").status_code == 200
    add(60)
    with count_queries() as many:
        assert admin_client.get("/admin/users?page=2").status_code == 200
    assert len(many) == len(few) <= 6


def test_role_change_is_audited_and_a_demoted_trainer_is_refused_at_once(app, admin_client,
                                                                         make_user, cohort):
    trainer = make_user("trainer", cohort=cohort)
    victim = app.test_client()
    sign_in(victim, trainer.email)
    assert victim.get("/reports/").status_code == 200
    response = post(admin_client, f"/admin/users/{trainer.id}/role", {"role": "trainee"})
    assert response.status_code == 302
    assert reload(trainer).role == "trainee"
    assert victim.get("/reports/").status_code == 403  # the very next request
    assert victim.get("/grading/").status_code == 403
    [event] = events("user.role_change")
    assert event.details == {"email": trainer.email, "before": "trainer", "after": "trainee"}
    assert event.target == f"user:{trainer.id}" and event.actor_id is not None


def test_the_last_admin_cannot_demote_or_disable_themselves(admin_client, admin):
    page = post(admin_client, f"/admin/users/{admin.id}/role", {"role": "trainer"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "field-error" in html and 'aria-invalid="true"' in html
    assert post(admin_client, f"/admin/users/{admin.id}/disable").status_code == 400
    user = reload(admin)
    assert user.role == "admin" and user.active
    assert not events("user.role_change") and not events("user.disable")
    assert admin_client.get("/admin/users").status_code == 200  # still signed in


def test_an_admin_may_step_down_when_another_remains(admin_client, admin, make_user):
    make_user("admin", email="other-admin@example.vn")
    assert post(admin_client, f"/admin/users/{admin.id}/role", {"role": "trainer"}).status_code \
        == 302
    assert reload(admin).role == "trainer"
    assert admin_client.get("/admin/users").status_code == 403


def test_two_admins_demoting_each_other_at_once_leave_one(app, make_user):
    first = make_user("admin", email="a1@example.vn")
    second = make_user("admin", email="a2@example.vn")
    clients = []
    for actor, target in ((first, second), (second, first)):
        client = app.test_client()
        sign_in(client, actor.email)
        clients.append((client, csrf(client), target.id))

    def demote(entry):
        client, token, target_id = entry
        return client.post(f"/admin/users/{target_id}/role",
                           data={"role": "trainee", "csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sorted(pool.map(demote, clients))
    db.session.expire_all()
    admins = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == "admin", User.active.is_(True)))
    assert admins >= 1
    assert all(code in (302, 400, 403) for code in codes), codes


def test_disable_ends_sessions_and_enable_restores_sign_in(app, admin_client, trainee):
    victim = app.test_client()
    sign_in(victim, trainee.email)
    cookie = victim.get_cookie("session").value
    assert post(admin_client, f"/admin/users/{trainee.id}/disable").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/").status_code == 302  # the copied cookie is refused
    assert victim.get("/").status_code == 302
    assert sign_in(app.test_client(), trainee.email).status_code == 401
    assert post(admin_client, f"/admin/users/{trainee.id}/enable").status_code == 302
    assert sign_in(app.test_client(), trainee.email).status_code == 302
    assert [e.action for e in events("user.disable") + events("user.enable")] == [
        "user.disable", "user.enable"]


def test_password_reset_shows_a_one_time_password_once(app, admin_client, trainee):
    victim = app.test_client()
    sign_in(victim, trainee.email)
    response = post(admin_client, f"/admin/users/{trainee.id}/password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'class="one-time-password">([^<]+)<',
                         response.get_data(as_text=True)).group(1)
    assert len(password) >= 16
    assert victim.get("/").status_code == 302  # every session ended
    assert sign_in(app.test_client(), trainee.email, PASSWORD).status_code == 401
    fresh = app.test_client()
    assert sign_in(fresh, trainee.email, password).status_code == 302
    assert fresh.get("/").headers["Location"] == "/account/password"  # forced change
    [event] = events("user.password_reset")
    assert password not in repr(event.details) and password not in (event.target or "")
    assert password not in admin_client.get(f"/admin/users/{trainee.id}").get_data(as_text=True)


def test_only_the_named_field_is_assigned(admin_client, trainee):
    """SECURITY.md 8: no mass assignment through the admin forms."""
    post(admin_client, f"/admin/users/{trainee.id}/role",
         {"role": "trainer", "active": "0", "email": "evil@example.vn", "session_version": "1"})
    post(admin_client, f"/admin/users/{trainee.id}/password", {"role": "admin"})
    user = reload(trainee)
    assert (user.role, user.active, user.email) == ("trainer", True, "hang@example.vn")
    assert post(admin_client, f"/admin/users/{trainee.id}/role", {"role": "root"}).status_code \
        == 400
    assert reload(trainee).role == "trainer"


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/99999").status_code == 404
    assert post(admin_client, "/admin/users/99999/disable").status_code == 404


def _record(action, actor=None, at=None, **details):
    with writing():
        event = audit.record(action, actor.id if actor else None, None, **details)
        if at is not None:
            event.at = at
        db.session.commit()


def test_audit_log_filters_by_actor_action_and_date(admin_client, admin, trainee):
    _record("cohort.create", admin, utcnow() - timedelta(days=10), slug="marker-old")
    _record("cohort.create", trainee, slug="marker-mine")
    _record("certificate.issue", admin, slug="marker-cert")
    page = lambda query: admin_client.get(f"/admin/audit?{query}").get_data(as_text=True)  # noqa: E731
    mine = page("actor=quantri")
    assert "marker-mine" not in mine and "marker-cert" in mine
    by_action = page("action=cohort.create")
    assert "marker-mine" in by_action and "marker-old" in by_action
    assert "marker-cert" not in by_action
    today = utcnow().date()
    recent = page(f"since={today - timedelta(days=1)}&until={today + timedelta(days=1)}")
    assert "marker-mine" in recent and "marker-old" not in recent
    bad = admin_client.get("/admin/audit?since=2026-02-10&until=2026-02-01")
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    assert admin_client.get("/admin/audit?since=not-a-date").status_code == 400


def test_audit_log_escapes_what_users_typed(client, admin_client):
    sign_in(client, "<script>alert(1)</script>@example.vn", "wrong password!")
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_audit_csv_is_excel_ready_neutralised_and_audited(admin_client, make_user):
    formula = make_user("trainee", email="=cmd|calc@example.vn")
    _record("user.note", formula, text="+SUM(A1)")
    assert admin_client.get("/admin/audit.csv?action=user.note").status_code == 405
    response = post(admin_client, "/admin/audit.csv?action=user.note")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # utf-8-sig, so Excel reads Vietnamese
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(audit.EXPORT_HEADER)
    assert len(rows) == 2 and rows[1][1] == "'=cmd|calc@example.vn"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    [export] = events("audit.export")
    assert export.details["rows"] == 1 and export.details["filters"] == {"action": "user.note"}


def test_audit_page_runs_a_fixed_number_of_queries(admin_client, admin, count_queries):
    for index in range(3):
        _record("user.note", admin, n=index)
    with count_queries() as few:
        admin_client.get("/admin/audit")
    with writing():
        for index in range(150):
            audit.record("user.note", admin.id, None, n=index)
        db.session.commit()
    with count_queries() as many:
        admin_client.get("/admin/audit?page=2")
    assert len(many) == len(few) <= 8


def test_admin_pages_are_valid_html(app, admin_client, trainee, tmp_path):
    from ..browser.vnu import validate

    sign_in(app.test_client(), "x@example.vn", "wrong password!")  # an audit row to show
    pages = {
        "users": admin_client.get("/admin/users?q=hang"),
        "users-error": admin_client.get("/admin/users?role=x"),
        "user": admin_client.get(f"/admin/users/{trainee.id}"),
        "role-error": post(admin_client, f"/admin/users/{trainee.id}/role", {"role": "x"}),
        "password": post(admin_client, f"/admin/users/{trainee.id}/password"),
        "audit": admin_client.get("/admin/audit"),
        "audit-error": admin_client.get("/admin/audit?since=2026-02-10&until=2026-02-01"),
    }
    files = []
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(response.get_data(as_text=True), encoding="utf-8")
        files.append(path)
    errors = validate(files)
    assert errors == [], "\n".join(errors)
