"""Cohorts in the browser (/reports/cohorts/new, …/edit, archive, trainers, moving a trainee):
what each form keeps, every refusal beside its field with nothing written, audit events, and
404 for a trainer of another cohort."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent, Cohort, Enrolment, User, cohort_trainer
from tests import cohort_helpers as rows
from tests.helpers import post, sign_in

FORM = {"name": "Lớp Đà Nẵng 2025", "slug": "", "course": "demo", "organisation": "",
        "starts": "2025-08-01", "ends": "2025-08-30"}


def _count(model: Any) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _audits(action: str) -> list[AuditEvent]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _error_beside(html: str, field: str) -> str:
    """The error text shown beside the field, which is marked invalid."""
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                     rf'id="{field}"', html), f"{field} is not marked invalid"
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert found, f"no error beside {field}"
    return found.group(1)


def test_a_trainer_creates_a_cohort_and_becomes_its_trainer(client, loaded, make_user):
    trainer = make_user("trainer", email="gv@example.vn")
    assert sign_in(client, "gv@example.vn").status_code == 302
    page = client.get("/reports/cohorts/new").get_data(as_text=True)
    for name in ("slug", "name", "course", "organisation", "starts", "ends"):
        assert f'name="{name}"' in page
    assert 'type="date"' in page and 'id="starts"' in page
    response = post(client, "/reports/cohorts/new", FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/cohorts/lop-da-nang-2025"
    made = db.session.scalar(sa.select(Cohort).where(Cohort.slug == "lop-da-nang-2025"))
    assert made.name == "Lớp Đà Nẵng 2025" and str(made.ends_on) == "2025-08-30"
    assert [t.id for t in made.trainers] == [trainer.id]
    assert client.get("/reports/cohorts/lop-da-nang-2025").status_code == 200
    again = post(client, "/reports/cohorts/new", FORM)  # the proposal moves on to "-2"
    assert again.headers["Location"] == "/reports/cohorts/lop-da-nang-2025-2"
    event = _audits("cohort.create")[0]
    assert event.actor_id == trainer.id and event.details["course"] == "demo"


def test_bad_input_is_shown_beside_its_field_and_nothing_is_written(client, cohort, make_user):
    make_user("trainer", email="gv@example.vn")
    sign_in(client, "gv@example.vn")
    before = (_count(Cohort), _count(AuditEvent))
    cases = [
        ({"ends": "2025-07-01"}, "ends", "sớm hơn ngày bắt đầu"),
        ({"slug": "lop-1"}, "slug", "đã dùng"),
        ({"slug": "Lớp Một"}, "slug", "chữ thường"),
        ({"slug": "new"}, "slug", "dành riêng"),
        ({"course": "khong-co"}, "course", "danh sách"),
        ({"name": "  "}, "name", "Đặt tên"),
        ({"starts": "01/08/2025"}, "starts", "YYYY-MM-DD"),
    ]
    for change, field, words in cases:
        response = post(client, "/reports/cohorts/new", {**FORM, **change})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert words in _error_beside(html, field), (change, _error_beside(html, field))
        assert 'value="Lớp Đà Nẵng 2025"' in html or field == "name"  # the input is kept
    assert (_count(Cohort), _count(AuditEvent)) == before


def test_organisations_their_names_and_the_courses_they_offer(client, cohort, make_user):
    make_user("trainer", email="gv@example.vn")
    rows.organisation("so-vh", "Sở Văn hóa", "Department of Culture", offers=["demo"])
    rows.organisation("ubnd", "Ủy ban nhân dân", "People's Committee")  # offers nothing
    sign_in(client, "gv@example.vn")
    page = client.get("/reports/cohorts/new").get_data(as_text=True)
    assert '<option value="so-vh">Sở Văn hóa</option>' in page
    post(client, "/language", {"locale": "en", "next": "/verify"})
    page = client.get("/reports/cohorts/new").get_data(as_text=True)
    assert '<option value="so-vh">Department of Culture</option>' in page
    missing = post(client, "/reports/cohorts/new", FORM)
    assert missing.status_code == 400
    assert "Choose the organisation" in _error_beside(missing.get_data(as_text=True),
                                                      "organisation")
    refused = post(client, "/reports/cohorts/new", {**FORM, "organisation": "ubnd"})
    assert refused.status_code == 400
    assert "does not offer" in _error_beside(refused.get_data(as_text=True), "course")
    unknown = post(client, "/reports/cohorts/new", {**FORM, "organisation": "nope"})
    assert "organisations in the list" in _error_beside(unknown.get_data(as_text=True),
                                                         "organisation")
    assert _count(Cohort) == 1
    made = post(client, "/reports/cohorts/new", {**FORM, "organisation": "so-vh"})
    assert made.status_code == 302
    assert db.session.scalar(sa.select(Cohort).where(
        Cohort.slug == "lop-da-nang-2025")).organisation.slug == "so-vh"


def test_while_no_organisation_offers_anything_every_course_may_be_chosen(client, cohort,
                                                                          make_user):
    make_user("trainer", email="gv@example.vn")
    rows.organisation("ubnd", "Ủy ban nhân dân", "People's Committee")
    sign_in(client, "gv@example.vn")
    assert post(client, "/reports/cohorts/new",
                {**FORM, "organisation": "ubnd"}).status_code == 302


def test_editing_changes_only_what_is_sent_and_audits_the_changes(client, cohort, make_user):
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    make_user("trainee", email="hv@example.vn", cohort=cohort)
    rows.other_course()
    sign_in(client, "gv@example.vn")
    page = client.get("/reports/cohorts/lop-1/edit").get_data(as_text=True)
    assert 'value="lop-1"' in page and 'value="Lớp 1"' in page
    locked = post(client, "/reports/cohorts/lop-1/edit",
                  {**FORM, "slug": "lop-1", "course": "khac"})
    assert locked.status_code == 400
    assert "học viên" in _error_beside(locked.get_data(as_text=True), "course")
    saved = post(client, "/reports/cohorts/lop-1/edit",
                 {**FORM, "slug": "lop-mot", "name": "Lớp Một"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/reports/cohorts/lop-mot"
    db.session.rollback()
    found = db.session.get(Cohort, cohort.id)
    assert (found.slug, found.name, str(found.starts_on)) == ("lop-mot", "Lớp Một", "2025-08-01")
    changes = _audits("cohort.update")[0]
    assert changes.actor_id == trainer.id
    assert changes.details["changes"]["slug"] == ["lop-1", "lop-mot"]
    assert "course" not in changes.details["changes"]
    assert client.get("/reports/cohorts/lop-1").status_code == 404


def test_archived_cohorts_leave_the_lists_and_stay_reachable(client, cohort, make_user):
    make_user("trainer", email="gv@example.vn", cohort=cohort)
    sign_in(client, "gv@example.vn")
    assert 'href="/reports/cohorts/lop-1"' in client.get("/").get_data(as_text=True)
    assert post(client, "/reports/cohorts/lop-1/archive").status_code == 302
    assert 'href="/reports/cohorts/lop-1"' not in client.get("/").get_data(as_text=True)
    assert 'href="/reports/cohorts/lop-1"' not in client.get("/reports/").get_data(as_text=True)
    assert 'href="/reports/cohorts/lop-1"' in client.get("/?archived=1").get_data(as_text=True)
    assert 'href="/reports/cohorts/lop-1"' in client.get(
        "/reports/?archived=1").get_data(as_text=True)
    assert client.get("/reports/cohorts/lop-1").status_code == 200
    assert post(client, "/reports/cohorts/lop-1/unarchive").status_code == 302
    assert 'href="/reports/cohorts/lop-1"' in client.get("/").get_data(as_text=True)
    assert [e.action for e in _audits("cohort.archive") + _audits("cohort.unarchive")] == [
        "cohort.archive", "cohort.unarchive"]


def _trainer_ids(cohort: Cohort) -> set[int]:
    db.session.rollback()
    return set(db.session.scalars(sa.select(cohort_trainer.c.user_id).where(
        cohort_trainer.c.cohort_id == cohort.id)))


def test_trainers_are_added_by_email_and_the_last_one_stays(app, client, cohort, make_user):
    first = make_user("trainer", email="gv@example.vn", cohort=cohort)
    second = make_user("trainer", email="gv2@example.vn")
    make_user("trainee", email="hv@example.vn")
    make_user("admin", email="qt@example.vn")
    sign_in(client, "gv@example.vn")
    for email in ("nobody@example.vn", "hv@example.vn"):
        refused = post(client, "/reports/cohorts/lop-1/trainers", {"email": email})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and f'value="{email}"' in html
        assert "Không có tài khoản" in _error_beside(html, "email")
    assert _trainer_ids(cohort) == {first.id}
    assert post(client, "/reports/cohorts/lop-1/trainers",
                {"email": "GV2@example.vn"}).status_code == 302
    assert _trainer_ids(cohort) == {first.id, second.id}
    assert "gv2@example.vn" in client.get("/reports/cohorts/lop-1/trainers").get_data(
        as_text=True)
    post(client, f"/reports/cohorts/lop-1/trainers/{second.id}/remove")
    assert _trainer_ids(cohort) == {first.id}
    kept = post(client, f"/reports/cohorts/lop-1/trainers/{first.id}/remove",
                follow_redirects=True)
    assert "ít nhất một giảng viên" in kept.get_data(as_text=True)
    assert _trainer_ids(cohort) == {first.id}
    admin = app.test_client()
    sign_in(admin, "qt@example.vn")
    assert post(admin, f"/reports/cohorts/lop-1/trainers/{first.id}/remove").status_code == 302
    assert _trainer_ids(cohort) == set()
    assert [(e.actor_id, e.details["user_id"]) for e in _audits("cohort.assign_trainer")
            if e.actor_id] == [(first.id, second.id)]
    assert len(_audits("cohort.remove_trainer")) == 2


def test_a_trainer_of_another_cohort_gets_404_everywhere(app, client, cohort, make_user):
    make_user("trainer", email="gv@example.vn", cohort=cohort)
    trainee = make_user("trainee", email="hv@example.vn", cohort=cohort)
    stranger = make_user("trainer", email="la@example.vn")
    theirs = rows.cohort("lop-2", stranger)
    sign_in(client, "la@example.vn")
    before = (_count(Cohort), _count(Enrolment), _count(AuditEvent))
    assert client.get("/reports/cohorts/lop-1/edit").status_code == 404
    assert client.get("/reports/cohorts/lop-1/trainers").status_code == 404
    for url, data in (("/reports/cohorts/lop-1/edit", FORM),
                      ("/reports/cohorts/lop-1/archive", {}),
                      ("/reports/cohorts/lop-1/trainers", {"email": "la@example.vn"}),
                      (f"/reports/cohorts/lop-1/trainers/{stranger.id}/remove", {}),
                      (f"/reports/cohorts/lop-1/trainees/{trainee.id}/move",
                       {"to": theirs.slug})):
        assert post(client, url, data).status_code == 404, url
    assert (_count(Cohort), _count(Enrolment), _count(AuditEvent)) == before


def test_a_trainee_moves_to_another_cohort_of_the_course_with_their_attempts(client, cohort,
                                                                               make_user):
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    trainee = make_user("trainee", email="hv@example.vn", cohort=cohort)
    attempt = rows.waiting_attempt(trainee)
    rows.other_course()
    rows.cohort("lop-2", trainer)
    rows.cohort("lop-khac", trainer, course="khac")
    rows.cohort("lop-la", None)
    sign_in(client, "gv@example.vn")
    page = client.get(f"/reports/cohorts/lop-1/trainees/{trainee.id}").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)"', page)
    assert options == ["lop-2"]  # same course, managed by the trainer, not this one
    url = f"/reports/cohorts/lop-1/trainees/{trainee.id}/move"
    for target in ("lop-khac", "lop-la", "lop-1"):
        refused = post(client, url, {"to": target})
        assert refused.status_code == 400, target
        assert _error_beside(refused.get_data(as_text=True), "to")
    moved = post(client, url, {"to": "lop-2"})
    assert moved.status_code == 302
    assert moved.headers["Location"] == f"/reports/cohorts/lop-2/trainees/{trainee.id}"
    db.session.rollback()
    assert set(db.session.scalars(sa.select(Enrolment.cohort_id).where(
        Enrolment.user_id == trainee.id))) == {rows_id("lop-2")}
    assert client.get(f"/reports/cohorts/lop-2/trainees/{trainee.id}").status_code == 200
    assert db.session.get(type(attempt), attempt.id).user_id == trainee.id
    event = _audits("cohort.move")[0]
    assert event.details == {"user_id": trainee.id, "to_cohort_id": rows_id("lop-2")}


def rows_id(slug: str) -> int:
    return db.session.scalar(sa.select(Cohort.id).where(Cohort.slug == slug))


def test_staff_of_one_organisation_work_within_it(client, cohort, make_user):
    home = rows.organisation("so-vh", "Sở Văn hóa", "Department of Culture")
    away = rows.organisation("ubnd", "Ủy ban nhân dân", "People's Committee")
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    other = make_user("trainer", email="khac@example.vn")
    with writing():
        db.session.get(User, trainer.id).organisation_id = home.id
        db.session.get(User, other.id).organisation_id = away.id
        db.session.get(Cohort, cohort.id).organisation_id = home.id
        db.session.commit()
    sign_in(client, "gv@example.vn")
    page = client.get("/reports/cohorts/new").get_data(as_text=True)
    assert re.findall(r'<option (?:selected )?value="([^"]*)"', page.split('id="organisation"')[1]
                      .split("</select>")[0]) == ["", "so-vh"]
    assert '<option selected value="so-vh">' in page
    refused = post(client, "/reports/cohorts/lop-1/trainers", {"email": "khac@example.vn"})
    assert refused.status_code == 400
    assert "cơ quan tổ chức khác" in _error_beside(refused.get_data(as_text=True), "email")
    assert post(client, "/reports/cohorts/new",
                {**FORM, "organisation": "ubnd"}).status_code == 400  # not theirs to choose
