"""Certificates in the browser (issue 19): the cohort's trainers and admins revoke, reissue and
issue by hand, each confirmed on a GET page that writes nothing, each audited, each seen at once
by the trainee and on the verify page; everyone else gets 404; every POST needs the CSRF token."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, Certificate, Course, User

from ..helpers import post, sign_in

REASON = "Sai họ tên trên chứng nhận"


def demo() -> Course:
    return db.session.scalar(sa.select(Course).where(Course.slug == "demo"))


def issue(user: User) -> Certificate:
    with writing():
        made = certificates.issue_manually(db.session.get(User, user.id), demo(), "Học trực tiếp",
                                           None)
        db.session.commit()
    return made


def reload(code: str) -> Certificate:
    db.session.expire_all()
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def actions(name: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == name)))


def browser(app, user: User, english: bool = True):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    if english:
        assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302
    return client


@pytest.fixture
def trainer(make_user, cohort):
    return make_user("trainer", email="giangvien@example.vn", name="Trần Văn Giảng",
                     cohort=cohort)


@pytest.fixture
def held(trainee) -> Certificate:
    return issue(trainee)


def test_revoke_is_confirmed_on_a_get_page_that_writes_nothing(app, trainer, held, trainee):
    client = browser(app, trainer)
    page = client.get(f"/certificates/{held.code}/revoke")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Revoke certificate {held.code}?" in html and 'name="reason"' in html
    assert 'method="post"' in html and 'name="csrf_token"' in html
    assert reload(held.code).status == "valid" and not actions("certificate.revoke")
    # The reason is required: the form comes back with the error beside the field.
    refused = post(client, f"/certificates/{held.code}/revoke", {"reason": "   "})
    assert refused.status_code == 400 and "field-error" in refused.get_data(as_text=True)
    assert reload(held.code).status == "valid"
    done = post(client, f"/certificates/{held.code}/revoke", {"reason": REASON})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/reports/cohorts/lop-1/trainees/{trainee.id}")
    revoked = reload(held.code)
    assert (revoked.status, revoked.revoke_reason) == ("revoked", REASON)
    [event] = actions("certificate.revoke")
    assert event.actor_id == trainer.id and event.details["reason"] == REASON
    # The trainee and the public see it at once.
    verify = client.get(f"/verify/{held.code}.json").get_json()
    assert verify["status"] == "revoked" and verify["revoke_reason"] == REASON
    mine = browser(app, trainee).get("/").get_data(as_text=True)
    assert "revoked" in mine
    # A revoked certificate cannot be revoked again, and the page says why.
    again = client.get(f"/certificates/{held.code}/revoke").get_data(as_text=True)
    assert "Only a valid certificate can be revoked or reissued." in again
    twice = post(client, f"/certificates/{held.code}/revoke", {"reason": REASON})
    assert twice.status_code == 409 and len(actions("certificate.revoke")) == 1


def test_reissue_supersedes_with_a_new_code(app, trainer, held, trainee):
    client = browser(app, trainer)
    page = client.get(f"/certificates/{held.code}/reissue").get_data(as_text=True)
    assert f"Reissue certificate {held.code}?" in page
    with writing():
        db.session.get(User, trainee.id).full_name = "Nguyễn Thị Thu Hằng"
        db.session.commit()
    done = post(client, f"/certificates/{held.code}/reissue", {"reason": ""})
    assert done.status_code == 302
    old = reload(held.code)
    new = db.session.get(Certificate, old.superseded_by_id)
    assert old.status == "superseded" and new.status == "valid" and new.code != old.code
    assert new.holder_name == "Nguyễn Thị Thu Hằng" and new.issued_by_id == trainer.id
    [event] = actions("certificate.reissue")
    assert event.details["replaces"] == old.id and event.details["reason"]
    verify = client.get(f"/verify/{held.code}.json").get_json()
    assert verify["status"] == "superseded" and new.code in verify["superseded_by"]
    assert client.get(f"/verify/{new.code}.json").get_json()["status"] == "valid"
    mine = browser(app, trainee).get("/").get_data(as_text=True)
    assert new.code in mine and "superseded" in mine


def test_issue_by_hand_needs_a_reason_and_a_trainee_without_a_valid_certificate(
        app, trainer, trainee, make_user, cohort):
    client = browser(app, trainer)
    url = f"/reports/cohorts/lop-1/trainees/{trainee.id}/certificate/issue"
    page = client.get(url).get_data(as_text=True)
    assert "Issue a certificate of" in page and 'name="reason"' in page
    assert not actions("certificate.issue")
    refused = post(client, url, {"reason": ""})
    assert refused.status_code == 400 and "field-error" in refused.get_data(as_text=True)
    done = post(client, url, {"reason": "Học trực tiếp tại lớp"})
    assert done.status_code == 302
    [made] = certificates.certificates_of(db.session.get(User, trainee.id))
    assert made.status == "valid" and made.issue_reason == "Học trực tiếp tại lớp"
    [event] = actions("certificate.issue")
    assert event.actor_id == trainer.id and event.details["automatic"] is False
    # Now holding one: the page offers reissue and revoke instead, and a POST is refused.
    again = client.get(url).get_data(as_text=True)
    assert "already holds a valid certificate" in again and 'name="reason"' not in again
    assert f"/certificates/{made.code}/reissue" in again
    assert post(client, url, {"reason": "lần hai"}).status_code == 409
    assert len(actions("certificate.issue")) == 1
    mine = browser(app, trainee).get("/").get_data(as_text=True)
    assert made.code in mine


def test_admins_act_on_any_certificate(app, make_user, held):
    admin = browser(app, make_user("admin", email="quantri@example.vn"))
    assert admin.get(f"/certificates/{held.code}/revoke").status_code == 200
    assert post(admin, f"/certificates/{held.code}/revoke", {"reason": REASON}).status_code == 302
    assert reload(held.code).status == "revoked"


def test_everyone_else_gets_404_and_nothing_changes(app, make_user, held, trainee, cohort):
    from course_app.people import accounts

    with writing():
        other = accounts.create_cohort("lop-2", "Lớp 2", "demo")
        db.session.commit()
    outsiders = [make_user("trainer", email="khac@example.vn", cohort=other),
                 make_user("trainer", email="khonglop@example.vn")]
    for user in outsiders:
        client = browser(app, user)
        for url in (f"/certificates/{held.code}/revoke", f"/certificates/{held.code}/reissue",
                    f"/reports/cohorts/lop-1/trainees/{trainee.id}/certificate/issue",
                    "/certificates/unknown-code-0000000000/revoke"):
            assert client.get(url).status_code == 404, (user.email, url)
            assert post(client, url, {"reason": REASON}).status_code == 404, (user.email, url)
    # Trainees (the holder too) are refused by role.
    for user in (trainee, make_user("trainee", cohort=cohort)):
        client = browser(app, user)
        assert client.get(f"/certificates/{held.code}/revoke").status_code == 403
        assert post(client, f"/certificates/{held.code}/revoke",
                    {"reason": REASON}).status_code == 403
    assert reload(held.code).status == "valid"
    assert not actions("certificate.revoke") and not actions("certificate.reissue")


def test_a_trainer_of_the_cohort_cannot_issue_to_someone_outside_it(app, make_user, trainer):
    stranger = make_user("trainee", email="ngoai@example.vn")
    client = browser(app, trainer)
    url = f"/reports/cohorts/lop-1/trainees/{stranger.id}/certificate/issue"
    assert client.get(url).status_code == 404
    assert post(client, url, {"reason": REASON}).status_code == 404
    assert not certificates.certificates_of(db.session.get(User, stranger.id))


def test_every_post_needs_the_csrf_token(app, trainer, held, trainee):
    client = browser(app, trainer)
    for url in (f"/certificates/{held.code}/revoke", f"/certificates/{held.code}/reissue",
                f"/reports/cohorts/lop-1/trainees/{trainee.id}/certificate/issue"):
        assert client.post(url, data={"reason": REASON}).status_code == 400, url
        assert client.post(url, data={"reason": REASON,
                                      "csrf_token": "forged"}).status_code == 400, url
    assert reload(held.code).status == "valid" and len(actions("certificate.issue")) == 1


def test_the_dashboard_and_trainee_page_link_to_each_action(app, trainer, held, trainee,
                                                            make_user, cohort):
    bare = make_user("trainee", email="an@example.vn", name="Lê An", cohort=cohort)
    client = browser(app, trainer)
    dashboard = client.get("/reports/cohorts/lop-1").get_data(as_text=True)
    assert f"/certificates/{held.code}/revoke" in dashboard
    assert f"/certificates/{held.code}/reissue" in dashboard
    assert f"/reports/cohorts/lop-1/trainees/{bare.id}/certificate/issue" in dashboard
    assert f"/reports/cohorts/lop-1/trainees/{trainee.id}/certificate/issue" not in dashboard
    page = client.get(f"/reports/cohorts/lop-1/trainees/{trainee.id}").get_data(as_text=True)
    assert f"/certificates/{held.code}/revoke" in page
    assert "/certificate/issue" not in page
    other = client.get(f"/reports/cohorts/lop-1/trainees/{bare.id}").get_data(as_text=True)
    assert f"/reports/cohorts/lop-1/trainees/{bare.id}/certificate/issue" in other


def test_vietnamese_pages(app, trainer, held, trainee):
    client = browser(app, trainer, english=False)
    page = client.get(f"/certificates/{held.code}/revoke").get_data(as_text=True)
    assert re.search(r"Thu hồi chứng nhận", page)
    issue_page = client.get(f"/certificates/{held.code}/reissue").get_data(as_text=True)
    assert "Cấp lại" in issue_page


def test_office_pages_are_valid_html(app, trainer, held, trainee, make_user, cohort, tmp_path):
    from ..browser.vnu import validate

    bare = make_user("trainee", email="an@example.vn", name="Lê An", cohort=cohort)
    client = browser(app, trainer)
    pages = {
        "revoke": client.get(f"/certificates/{held.code}/revoke"),
        "revoke-error": post(client, f"/certificates/{held.code}/revoke", {"reason": ""}),
        "reissue": client.get(f"/certificates/{held.code}/reissue"),
        "issue": client.get(f"/reports/cohorts/lop-1/trainees/{bare.id}/certificate/issue"),
        "issued": client.get(f"/reports/cohorts/lop-1/trainees/{trainee.id}/certificate/issue"),
        "dashboard": client.get("/reports/cohorts/lop-1"),
    }
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{name}.html"
        path.write_text(response.get_data(as_text=True), encoding="utf-8")
        files.append(path)
    errors = validate(files)
    assert errors == [], "\n".join(errors)
