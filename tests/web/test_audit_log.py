"""The audit log people can read (issue 19): every action written by `audit.record(...)` has a
sentence in both languages; the page shows sentences with names, filters by person (name or
email, accents ignored), kind and dates, pages, and exports CSV with the sentence and the raw
fields, itself audited; a fixed number of queries."""

from __future__ import annotations

import ast
import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, Course, User
from course_app.models.types import utcnow
from course_app.people import audit, audit_sentences

from ..helpers import post, sign_in

ROOT = Path(__file__).resolve().parents[2] / "course_app"


def _written_actions() -> set[str]:
    """Every literal action code passed to audit.record or record_now in the source."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):  # def import_roster(..., action="…")
                names = [a.arg for a in node.args.args][-len(node.args.defaults or []):]
                found.update(d.value for n, d in zip(names, node.args.defaults, strict=False)
                             if n == "action" and isinstance(d, ast.Constant)
                             and "." in str(d.value))
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            arguments = list(node.args) + [k.value for k in node.keywords if k.arg == "action"]
            if name in ("record", "record_now", "_audit_refusal", "import_roster"):
                for arg in arguments:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                            and "." in arg.value and " " not in arg.value:
                        found.add(arg.value)
                    elif isinstance(arg, ast.JoinedStr):  # content.{action}
                        found.update({"content.delete", "content.archive",
                                      "content.unarchive"})
                    elif isinstance(arg, ast.IfExp):
                        found.update(a.value for a in (arg.body, arg.orelse)
                                     if isinstance(a, ast.Constant)
                                     and "." in str(a.value))
    return found


def test_every_action_in_the_source_has_a_sentence():
    written = _written_actions()
    assert {"certificate.revoke", "auth.login", "audit.export", "cohort.import",
            "user.enable", "user.disable"} <= written
    assert written - set(audit_sentences.KINDS) == set()


def test_every_sentence_formats_with_no_parameters_in_both_languages(app):
    for locale in ("vi", "en"):
        with app.test_request_context(headers={"Accept-Language": locale}):
            from flask_babel import force_locale

            with force_locale(locale):
                for key in audit_sentences.KINDS:
                    action = key.split("/")[0]
                    text = audit_sentences.sentence(action, {"automatic": "/" in key}, {})
                    assert text and "%(" not in text, (locale, key)
                generic = audit_sentences.sentence("thing.new", {}, {"actor": "A"})
                assert "thing.new" in generic


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="quantri@example.vn", name="Quản Trị Viên")


def browser(app, user, english=True):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    locale = "en" if english else "vi"  # the choice is kept with the account
    assert post(client, "/language", {"locale": locale, "next": "/"}).status_code == 302
    return client


def _revoke_as(trainer: User, holder: User) -> str:
    with writing():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
        made = certificates.issue_manually(db.session.get(User, holder.id), course,
                                           "Học trực tiếp", None)
        certificates.revoke(made, "Sai họ tên", db.session.get(User, trainer.id))
        db.session.commit()
    return made.code


def test_events_read_as_sentences_with_names(app, admin, make_user, cohort, trainee):
    trainer = make_user("trainer", email="a@example.vn", name="Trần Văn A", cohort=cohort)
    code = _revoke_as(trainer, trainee)
    html = browser(app, admin).get("/admin/audit").get_data(as_text=True)
    assert (f"Trần Văn A revoked certificate {code} of Nguyễn Thị Hằng, reason: Sai họ tên"
            in html)
    assert f"The system issued certificate {code} to Nguyễn Thị Hằng" in html
    assert "Quản Trị Viên signed in." in html
    vietnamese = browser(app, admin, english=False).get("/admin/audit").get_data(as_text=True)
    assert f"Trần Văn A đã thu hồi chứng nhận {code}" in vietnamese


def test_filters_by_person_kind_and_date(app, admin, make_user, cohort, trainee):
    trainer = make_user("trainer", email="a@example.vn", name="Trần Văn A", cohort=cohort)
    _revoke_as(trainer, trainee)
    with writing():
        old = audit.record("cohort.create", trainer.id, None, slug="marker-old")
        old.at = utcnow() - timedelta(days=10)
        db.session.commit()
    client = browser(app, admin)
    page = lambda query: client.get(f"/admin/audit?{query}").get_data(as_text=True)  # noqa: E731
    by_name = page("actor=tran+van")  # accents and case ignored
    assert "revoked certificate" in by_name and "signed in" not in by_name
    by_email = page("actor=quantri%40")
    assert "Quản Trị Viên signed in." in by_email and "revoked certificate" not in by_email
    assert "events found" in page("actor=nobody-at-all") and "revoked certificate" not in page(
        "actor=nobody-at-all")
    kind = page("action=certificate.revoke")
    assert "revoked certificate" in kind and "signed in" not in kind
    assert '<option selected value="certificate.revoke">Certificate revoked</option>' in kind \
        or 'value="certificate.revoke" selected' in kind
    today = utcnow().date()
    recent = page(f"since={today - timedelta(days=1)}")
    assert "marker-old" not in recent and "revoked certificate" in recent
    older = page(f"until={today - timedelta(days=5)}")
    assert "marker-old" in older and "revoked certificate" not in older


def test_csv_has_the_sentence_and_the_raw_fields(app, admin, make_user, cohort, trainee):
    trainer = make_user("trainer", email="a@example.vn", name="Trần Văn A", cohort=cohort)
    code = _revoke_as(trainer, trainee)
    client = browser(app, admin)
    assert client.get("/admin/audit.csv").status_code == 405
    response = post(client, "/admin/audit.csv?action=certificate.revoke")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == list(audit.EXPORT_HEADER)
    header = rows[0]
    [row] = rows[1:]
    assert row[header.index("actor")] == "a@example.vn"
    assert row[header.index("actor_name")] == "Trần Văn A"
    assert row[header.index("action")] == "certificate.revoke"
    assert '"reason": "Sai họ tên"' in row[header.index("details")]
    assert row[header.index("event")] == (
        f"Trần Văn A revoked certificate {code} of Nguyễn Thị Hằng, reason: Sai họ tên")
    db.session.expire_all()
    [export] = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "audit.export")).all()
    assert export.details["filters"] == {"action": "certificate.revoke"}
    # Without the CSRF token, nothing is exported or recorded.
    assert client.post("/admin/audit.csv").status_code == 400


def test_what_people_typed_is_escaped_in_sentences(app, admin, client):
    sign_in(client, "<b>x</b>@example.vn", "wrong password!")
    html = browser(app, admin).get("/admin/audit").get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;@example.vn" in html


def test_a_page_of_many_kinds_runs_a_fixed_number_of_queries(app, admin, make_user, cohort,
                                                             trainee, count_queries):
    trainer = make_user("trainer", email="a@example.vn", name="Trần Văn A", cohort=cohort)
    _revoke_as(trainer, trainee)
    client = browser(app, admin)
    client.get("/admin/audit")
    with count_queries() as few:
        client.get("/admin/audit")
    for index in range(40):
        _revoke_as(trainer, make_user("trainee", email=f"hv{index}@example.vn", cohort=cohort))
    with count_queries() as many:
        client.get("/admin/audit")
    assert len(many) == len(few), "\n".join(many)
