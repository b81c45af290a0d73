"""SECURITY.md promises that need a test of their own: no default passwords (5), no mass
assignment through self-service forms (8), Markup only on sanitiser output (13), certificate
codes of 128+ random bits (17), the audit log's security events (18)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.extensions import db
from course_app.models import AuditEvent, User

from ..helpers import PASSWORD, post, sign_in

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "course_app"


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_fresh_database_has_no_account(app):
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_migrations_and_code_hold_no_account_or_password():
    migrations = "".join(p.read_text() for p in (PACKAGE / "migrations").rglob("*.py"))
    assert not re.search(r"insert\s+into\s+\"?user", migrations, re.IGNORECASE)
    assert "bulk_insert" not in migrations or "user" not in migrations.split("bulk_insert")[1][:80]
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?i)\bpassword\w*\s*=\s*[\"']([^\"']{4,})[\"']", text):
            assert False, f"{path.relative_to(ROOT)}: hard-coded password {match.group(0)!r}"


def test_demo_accounts_get_fresh_random_passwords(runner, loaded, app):
    result = runner.invoke(args=["demo", "setup"])
    assert result.exit_code == 0, result.output
    passwords = re.findall(r"@example\.org\s+(\S+)", result.output)
    assert len(passwords) == 3 and len(set(passwords)) == 3
    assert all(len(p) >= 16 for p in passwords)
    credentials = Path(app.instance_path) / "demo-credentials.txt"
    assert credentials.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_users_create_needs_a_password_of_its_own(runner, loaded):
    result = runner.invoke(args=["users", "create", "--email", "a@example.vn", "--name", "A",
                                 "--password-stdin"], input="\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_self_service_forms_assign_nothing_else(client, trainee):
    """SECURITY.md 8: role, activity, session version or email sent with a form are ignored."""
    extra = {"role": "admin", "active": "1", "session_version": "1", "email": "x@evil.vn",
             "must_change_password": "0", "is_admin": "1", "id": "1"}
    assert post(client, "/login", {**extra, "email": trainee.email, "password": PASSWORD}) \
        .status_code == 302
    post(client, "/language", {"locale": "en", "next": "/", **extra})
    new = "một mật khẩu mới hơn"
    post(client, "/account/password", {"current_password": PASSWORD, "new_password": new,
                                       "confirm": new, **extra})
    db.session.expire_all()
    user = db.session.get(User, trainee.id)
    assert (user.role, user.email, user.active) == ("trainee", "hang@example.vn", True)
    assert client.get("/admin/users").status_code == 403




def test_markup_is_only_built_from_sanitiser_output():
    for template in (PACKAGE / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), template.name
        assert "autoescape false" not in text, template.name
    for path in PACKAGE.rglob("*.py"):
        if path.name == "templating.py":
            continue
        if path == PACKAGE / "i18n.py":  # templates' _(): our catalog, as Jinja's gettext does
            markups = [line for line in path.read_text(encoding="utf-8").splitlines()
                       if "Markup(" in line]
            assert markups == ["        text = Markup(text)  # noqa: S704 - our own catalog, "
                               "as Jinja's gettext trusts it"], markups
            continue
        assert "Markup(" not in path.read_text(encoding="utf-8"), path.name
    templating = (PACKAGE / "templating.py").read_text(encoding="utf-8")
    for line in templating.splitlines():
        if "Markup(" in line and not line.lstrip().startswith(('"""', "#")):
            assert "sanitised by nh3" in line, line


def test_html_is_built_by_templates_not_python_strings():
    """The question widgets and the outline are Jinja macros (autoescaped): no module of the
    package builds Markup from an f-string (issue 17)."""
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "widget_html" not in source, path
        if path.name in ("templating.py", "i18n.py"):
            continue
        assert not re.search(r"Markup\(\s*f['\"]", source), path
    assert not (PACKAGE / "widget_html.py").exists()


def test_certificate_codes_carry_at_least_128_random_bits():
    codes = {certificates.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
        assert len(raw) * 8 >= 128
    column = sa.inspect(db.metadata.tables["certificate"]).c.code
    assert column.unique or any(
        {c.name for c in constraint.columns} == {"code"}
        for constraint in db.metadata.tables["certificate"].constraints
        if isinstance(constraint, sa.UniqueConstraint))


def test_security_events_are_audited(app, client, trainee, make_user):
    sign_in(client, trainee.email, "wrong password!")
    sign_in(client, trainee.email)
    post(client, "/logout")
    admin = make_user("admin", email="quantri@example.vn")
    sign_in(client, admin.email)
    post(client, f"/admin/users/{trainee.id}/role", {"role": "trainer"})
    post(client, f"/admin/users/{trainee.id}/disable")
    post(client, f"/admin/users/{trainee.id}/password")
    post(client, "/admin/audit.csv")
    actions = _actions()
    for expected in ("auth.login_failed", "auth.login", "auth.logout", "user.role_change",
                     "user.disable", "user.password_reset", "audit.export"):
        assert expected in actions, expected
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert all(e.at.tzinfo is not None for e in events)  # UTC, aware
    change = next(e for e in events if e.action == "user.role_change")
    assert change.actor_id == admin.id and change.details["after"] == "trainer"
