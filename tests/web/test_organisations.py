"""Organisations in the browser (issue 19): /admin/organisations for administrators, bad input
re-shown beside its field with nothing changed, images checked by content and served by digest,
every change audited; an organisation's administrator reaches only their own organisation."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from course_app.domain.errors import ServiceError
from course_app.extensions import db
from course_app.models import AuditEvent, Organisation, OrganisationImage
from course_app.organisations import images, views
from course_app.security.access import policy_of

from ..helpers import csrf, sign_in
from ..organisation_helpers import image_bytes, join, make_organisation

ADMIN_ENDPOINTS = ("organisations.index", "organisations.new", "organisations.edit",
                   "organisations.archive", "organisations.unarchive")
FORM = {"slug": "ban-tuyen-giao", "name_vi": "Ban Tuyên giáo Thành ủy",
        "name_en": "Propaganda Department of the City Party Committee",
        "signatory_name": "Nguyễn Văn An", "signatory_title": "Trưởng ban"}


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="quantri@example.vn", name="Quản Trị Viên")


def client_of(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def send(client, url: str, data: dict, files: dict[str, tuple[bytes, str]] | None = None):
    payload: dict = {"csrf_token": csrf(client, "/admin/organisations/new"
                                        if url.endswith("/new") else "/admin/organisations"),
                     **data}
    for kind, (content, name) in (files or {}).items():
        payload[kind] = (io.BytesIO(content), name)
    return client.post(url, data=payload, content_type="multipart/form-data")


def organisations() -> list[Organisation]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.id)))


def audited(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def error_beside(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert match, f"no error beside {field}"
    return match.group(1)


def test_policies(app):
    for endpoint in ADMIN_ENDPOINTS:
        assert policy_of(app, endpoint) == "admin", endpoint
    assert policy_of(app, "organisations.image") == "public"


def test_trainers_and_trainees_are_refused(app, make_user, loaded):
    for role in ("trainee", "trainer"):
        client = client_of(app, make_user(role))
        assert client.get("/admin/organisations").status_code == 403
        assert client.get("/admin/organisations/new").status_code == 403
        response = client.post("/admin/organisations/new", data={
            **FORM, "csrf_token": csrf(client, "/")})
        assert response.status_code == 403
    assert organisations() == []
    anonymous = app.test_client().get("/admin/organisations/new")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_an_admin_creates_an_organisation_with_images_and_courses(app, admin, loaded):
    client = client_of(app, admin)
    page = client.get("/admin/organisations/new").get_data(as_text=True)
    for name in ("slug", "name_vi", "name_en", "signatory_name", "signatory_title", "logo",
                 "signature", "seal", "courses"):
        assert f'name="{name}"' in page, name
    assert 'href="/admin/organisations"' in client.get("/admin/users").get_data(as_text=True)
    seal = image_bytes("PNG", (200, 200))
    response = send(client, "/admin/organisations/new", {**FORM, "courses": "demo"},
                    {"seal": (seal, "con-dau.png"), "logo": (image_bytes("JPEG"), "logo.jpg")})
    assert response.status_code == 302, response.get_data(as_text=True)
    [made] = organisations()
    assert made.name == {"vi": FORM["name_vi"], "en": FORM["name_en"]}
    assert (made.signatory_name, made.signatory_title) == ("Nguyễn Văn An", "Trưởng ban")
    assert [c.slug for c in made.courses] == ["demo"]
    kinds = {row.kind: row for row in db.session.scalars(sa.select(OrganisationImage))}
    assert set(kinds) == {"seal", "logo"} and kinds["logo"].content_type == "image/jpeg"
    [event] = audited("organisation.create")
    assert event.actor_id == admin.id and event.details["courses"] == ["demo"]
    assert len(audited("organisation.image")) == 2
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert FORM["name_vi"] in listing and "Khóa học thử nghiệm" in listing
    url = re.search(r'src="(/organisations/ban-tuyen-giao/seal-[0-9a-f]{64}\.png)"',
                    client.get("/admin/organisations/ban-tuyen-giao/edit").get_data(as_text=True))
    assert url
    served = app.test_client().get(url.group(1))  # anyone: it is on public pages
    assert served.status_code == 200 and served.data == seal
    assert served.headers["Content-Type"] == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    stale = url.group(1).replace("/seal-", "/seal-0").replace(".png", "")[:-1] + ".png"
    assert app.test_client().get(stale).status_code == 404


def test_images_are_checked_by_content_and_size():
    assert images.checked_image(image_bytes("PNG")) == "image/png"
    assert images.checked_image(image_bytes("JPEG")) == "image/jpeg"
    for data, code in ((b"", "image_empty"), (image_bytes("GIF"), "image_type"),
                       (b"<html><script>x</script></html>", "image_type"),
                       (image_bytes("PNG")[:60], "image_type"),
                       (image_bytes("PNG", (4001, 10)), "image_pixels"),
                       (b"\xff\xd8\xff" + b"\0" * images.MAX_IMAGE_BYTES, "image_size")):
        with pytest.raises(ServiceError) as refused:
            images.checked_image(data)
        assert refused.value.code == code


@pytest.mark.parametrize(("change", "files", "field", "message"), [
    ({"slug": "so-noi-vu"}, None, "slug", "đã được một cơ quan khác sử dụng"),
    ({"slug": "Sở Nội Vụ"}, None, "slug", "chữ thường"),
    ({"name_vi": "  "}, None, "name_vi", "tiếng Việt"),
    ({}, {"logo": (image_bytes("PNG", (400, 400)) + b"\0" * 4000, "big.png")}, "logo",
     "lớn hơn"),
    ({}, {"seal": (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "seal.png")},
     "seal", "PNG và JPEG"),
    ({}, {"signature": (b"\x89PNG\r\n\x1a\n not really a png", "sig.png")}, "signature",
     "PNG và JPEG"),
    ({"courses": "no-such-course"}, None, "courses", ""),
])
def test_bad_input_is_reshown_beside_the_field_and_nothing_changes(
        app, admin, loaded, monkeypatch, change, files, field, message):
    # Messages in Vietnamese, the default language. A small size limit: a body over 500 KB
    # would be spooled to a temporary file by the test client.
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 4000)
    monkeypatch.setattr(views, "MAX_IMAGE_BYTES", 4000)
    make_organisation()
    before = len(audited("organisation.create"))
    client = client_of(app, admin)
    response = send(client, "/admin/organisations/new", {**FORM, **change}, files)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.lower() in error_beside(html, field).lower() or not message
    kept = change.get("slug", FORM["slug"])
    assert f'value="{kept}"' in html and FORM["name_en"] in html  # the input is kept
    assert [o.slug for o in organisations()] == ["so-noi-vu"]
    assert len(audited("organisation.create")) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationImage)) == 0


def test_an_admin_edits_removes_an_image_archives_and_brings_back(app, admin, loaded):
    made = make_organisation(images={"signature": image_bytes()})
    client = client_of(app, admin)
    page = client.get(f"/admin/organisations/{made.slug}/edit").get_data(as_text=True)
    assert 'value="Sở Nội vụ Hải Phòng"' in page and 'name="remove_signature"' in page
    response = send(client, f"/admin/organisations/{made.slug}/edit", {
        "slug": made.slug, "name_vi": "Sở Nội vụ thành phố Hải Phòng",
        "name_en": "Home Affairs", "signatory_name": "", "signatory_title": "",
        "remove_signature": "y"})
    assert response.status_code == 302
    [found] = organisations()
    assert found.name["vi"] == "Sở Nội vụ thành phố Hải Phòng" and found.courses == []
    assert found.signatory_name is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationImage)) == 0
    [event] = audited("organisation.update")
    assert event.details["before"]["courses"] == ["demo"] and event.details["after"][
        "courses"] == []
    assert len(audited("organisation.image_remove")) == 1
    assert send(client, f"/admin/organisations/{made.slug}/archive", {}).status_code == 302
    assert organisations()[0].archived and len(audited("organisation.archive")) == 1
    assert "Archived" in client.get("/admin/organisations").get_data(as_text=True) or \
        "Đã lưu trữ" in client.get("/admin/organisations").get_data(as_text=True)
    assert send(client, f"/admin/organisations/{made.slug}/unarchive", {}).status_code == 302
    assert not organisations()[0].archived and len(audited("organisation.unarchive")) == 1


def test_unknown_organisation_is_404(app, admin, loaded):
    client = client_of(app, admin)
    assert client.get("/admin/organisations/khong-co/edit").status_code == 404
    assert app.test_client().get(f"/organisations/khong-co/logo-{'0' * 64}.png"
                                 ).status_code == 404


def test_an_organisation_admin_manages_only_their_own(app, make_user, loaded):
    ours = make_organisation()
    theirs = make_organisation("so-y-te", "Sở Y tế", "Department of Health")
    local_admin = join(make_user("admin", email="qt.noivu@example.vn"), ours)
    client = client_of(app, local_admin)
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Sở Nội vụ Hải Phòng" in listing and "Sở Y tế" not in listing
    assert "/admin/organisations/new" not in listing
    assert client.get("/admin/organisations/new").status_code == 404
    assert client.get(f"/admin/organisations/{theirs.slug}/edit").status_code == 404
    assert send(client, f"/admin/organisations/{theirs.slug}/edit", {
        **FORM, "slug": theirs.slug}).status_code == 404
    assert send(client, f"/admin/organisations/{ours.slug}/archive", {}).status_code == 404
    assert client.get(f"/admin/organisations/{ours.slug}/edit").status_code == 200
    assert [o.name["vi"] for o in organisations()] == ["Sở Nội vụ Hải Phòng", "Sở Y tế"]
    assert not organisations()[0].archived
