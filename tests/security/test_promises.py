"""SECURITY.md promises that need a test of their own: no default passwords (5), no mass
assignment through self-service forms (8), Markup only on sanitiser output (13), certificate
codes of 128+ random bits (17), the audit log's security events (18)."""

from __future__ import annotations

import ast
import base64
import importlib
import re
from pathlib import Path

import pytest
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


WIDGETS = (PACKAGE / "quiz" / "widgets.py", PACKAGE / "learn" / "widgets.py")


def test_markup_is_only_built_from_sanitiser_output():
    for template in (PACKAGE / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), template.name
        assert "autoescape false" not in text, template.name
    for path in PACKAGE.rglob("*.py"):
        if path.name == "templating.py" or path in WIDGETS:  # widgets: the next test
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


def _escaped(node: ast.expr, safe_calls: frozenset[str]) -> bool:
    """A value the question widgets may put into their HTML: a constant, an f-string of
    escaped values, a call of an escaping function, or a choice between such."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_escaped(part.value if isinstance(part, ast.FormattedValue) else part,
                            safe_calls) for part in node.values)
    if isinstance(node, ast.IfExp):
        return _escaped(node.body, safe_calls) and _escaped(node.orelse, safe_calls)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _escaped(node.left, safe_calls) and _escaped(node.right, safe_calls)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "Markup":
            return len(node.args) == 1 and _escaped(node.args[0], safe_calls)
        if node.func.id == "join_html":  # joins a generator of escaped parts
            (argument,) = node.args
            return isinstance(argument, ast.GeneratorExp) and _escaped(argument.elt, safe_calls)
        return node.func.id in safe_calls
    return False


@pytest.mark.parametrize("path", WIDGETS, ids=lambda path: path.parent.name)
def test_html_widgets_escape_every_value_they_print(path):
    """The modules besides templating.py that build Markup (HTML widgets in Python instead of
    Jinja macros for speed, course_app/widget_html.py) keep autoescaping's guarantee by
    construction: every value in their f-strings comes from an escaping call."""
    module = importlib.import_module(f"course_app.{path.parent.name}.widgets")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    html_functions = {f.name for f in functions if ast.unparse(f.returns or ast.Constant()) in
                      ("Html", "Markup")}
    helpers = {"text", "md_html", "md_inline_html", "render", "join_html", "label"}
    assert module.SAFE_CALLS - helpers <= html_functions
    checked = 0
    for function in functions:
        if function.name not in html_functions:
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                assert _escaped(node.value, module.SAFE_CALLS), \
                    f"{function.name}: {ast.unparse(node.value)[:80]}"
                checked += 1
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "Markup":
                assert _escaped(node.args[0], module.SAFE_CALLS), function.name
    assert checked >= 5
    renderers = getattr(module, "RENDERERS", {})
    assert {f.__name__ for f in renderers.values()} <= html_functions
    unsafe = ast.parse("f'<b>{name}</b>'", mode="eval").body  # the check itself can fail
    assert not _escaped(unsafe, module.SAFE_CALLS)


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
