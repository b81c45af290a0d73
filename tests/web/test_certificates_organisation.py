"""Certificates carry the organisation of the trainee's cohort (issue 19): its names as the
issuer, its signatory, logo, signature and seal on the PDF, on the verify page and in its JSON,
and its own Open Badges issuer profile; a cohort of no organisation keeps the course file's
issuer."""

from __future__ import annotations

import io
import re
import shutil
import subprocess  # noqa: S404 - poppler reads the PDF back
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, Course, IssuerImage, User

from ..helpers import sign_in
from ..organisation_helpers import image_bytes, make_organisation, place
from ..unit.test_openbadge import DID, key_from_did, schema_errors, verify

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://khoahoc.example.vn"
PROFILE = f"{BASE}/organisations/so-noi-vu/issuer.json"


def issue(user: User) -> Certificate:
    with writing():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
        made = certificates.issue_manually(db.session.get(User, user.id), course, "lý do", None)
        made.score = 90.0
        db.session.commit()
    return made


@pytest.fixture
def organisation(cohort):
    made = make_organisation(images={"logo": image_bytes("PNG", (300, 300), (27, 48, 79)),
                                     "signature": image_bytes("PNG", (400, 120), (20, 20, 90)),
                                     "seal": image_bytes("JPEG", (300, 300))})
    place(cohort, made)
    return made


def test_the_certificate_carries_the_cohorts_organisation(organisation, trainee):
    made = issue(trainee)
    assert made.organisation_id == organisation.id
    assert (made.issuer["vi"], made.issuer["en"]) == ("Sở Nội vụ Hải Phòng",
                                                      "Hai Phong Department of Home Affairs")
    assert made.issuer["signatory"] == {"name": "Trần Văn Bình", "title": "Giám đốc"}
    assert sorted(made.issuer["images"]) == ["logo", "seal", "signature"]


def test_the_certificate_keeps_the_signatory_and_images_it_was_issued_with(
        organisation, trainee, make_user, cohort, client):
    """Trust in the record: replacing the seal or the signatory later changes the certificates
    issued after, never the PDF or the verify page of those issued before."""
    from course_app.certificates.pdf_file import certificate_document
    from course_app.organisations import service as organisations

    later_id = make_user("trainee", email="moi@example.vn", cohort=cohort).id
    before = issue(trainee)
    old_seal = certificate_document(before).seal_image
    old_logo = re.search(r'src="(/organisations/so-noi-vu/logo-[^"]+)"', client.get(
        f"/verify/{before.code}").get_data(as_text=True)).group(1)
    with writing():
        found = db.session.get(type(organisation), organisation.id)
        found.signatory_name, found.signatory_title = "Lê Thị Cúc", "Phó Giám đốc"
        organisations.set_images(found, {"seal": image_bytes("PNG", (200, 200), (9, 9, 9)),
                                         "logo": image_bytes("PNG", (300, 300), (1, 2, 3))},
                                 None)
        db.session.commit()
    db.session.expire_all()
    kept = certificate_document(db.session.get(Certificate, before.id))
    assert (kept.signatory_name, kept.signatory_title_vi) == ("Trần Văn Bình", "Giám đốc")
    assert kept.seal_image == old_seal and old_seal is not None
    body = client.get(f"/verify/{before.code}.json").get_json()["organisation"]
    assert (body["signatory_name"], body["signatory_title"]) == ("Trần Văn Bình", "Giám đốc")
    page = client.get(f"/verify/{before.code}").get_data(as_text=True)
    assert "Trần Văn Bình" in page and f'src="{old_logo}"' in page  # the logo it was issued with
    served = client.get(old_logo)  # replaced since, still served under its digest
    assert served.status_code == 200 and served.data != image_bytes("PNG", (300, 300), (1, 2, 3))
    after = issue(db.session.get(User, later_id))
    fresh = certificate_document(after)
    assert (fresh.signatory_name, fresh.seal_image != old_seal) == ("Lê Thị Cúc", True)
    assert fresh.signature_image == kept.signature_image  # unchanged, kept once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuerImage)) == 5
    new_logo = re.search(r'src="(/organisations/so-noi-vu/logo-[^"]+)"', client.get(
        f"/verify/{after.code}").get_data(as_text=True)).group(1)
    assert new_logo != old_logo and client.get(new_logo).status_code == 200
    assert client.get(old_logo.replace("so-noi-vu", "khong-co")).status_code == 404
    assert client.get(old_logo[:-10] + "0" * 6 + old_logo[-4:]).status_code == 404


def test_a_cohort_of_no_organisation_keeps_the_course_files_issuer(cohort, trainee):
    made = issue(trainee)
    assert made.organisation_id is None
    assert made.issuer["vi"] == "Ban Chỉ đạo công tác thông tin đối ngoại Thành phố Hải Phòng"


def test_the_pdf_prints_the_organisation_and_its_signatory_on_one_page(
        organisation, trainee, client, tmp_path):
    made = issue(trainee)
    sign_in(client, trainee.email)
    response = client.get(f"/certificates/{made.code}.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed")
    path = tmp_path / "c.pdf"
    path.write_bytes(response.data)
    text = unicodedata.normalize("NFC", subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
        text=True).stdout)
    flat = " ".join(text.split())
    for expected in ("Sở Nội vụ Hải Phòng", "Hai Phong Department of Home Affairs",
                     "Trần Văn Bình", "Giám đốc", "Nguyễn Thị Hằng"):
        assert expected in flat, expected
    assert "Ban Chỉ đạo công tác thông tin đối ngoại" not in flat
    if shutil.which("pdfimages"):
        listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                                check=True, text=True).stdout
        assert len(listed.strip().splitlines()) - 2 >= 4  # QR code, logo, signature, seal


def test_verify_page_and_json_show_the_organisation(organisation, trainee, client):
    made = issue(trainee)
    body = client.get(f"/verify/{made.code}.json").get_json()
    assert body["issuer"]["vi"] == "Sở Nội vụ Hải Phòng"
    assert body["organisation"] == {
        "slug": "so-noi-vu", "name": {"vi": "Sở Nội vụ Hải Phòng",
                                      "en": "Hai Phong Department of Home Affairs"},
        "signatory_name": "Trần Văn Bình", "signatory_title": "Giám đốc",
        "issuer_profile": PROFILE}
    page = client.get(f"/verify/{made.code}").get_data(as_text=True)
    assert "Sở Nội vụ Hải Phòng" in page and "Trần Văn Bình" in page
    assert 'src="/organisations/so-noi-vu/logo-' in page


def test_verify_json_of_no_organisation_says_so(cohort, trainee, client):
    made = issue(trainee)
    assert client.get(f"/verify/{made.code}.json").get_json()["organisation"] is None


def test_the_open_badge_is_issued_by_the_organisations_profile(organisation, trainee, client):
    made = issue(trainee)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    assert schema_errors(document) == []
    assert document["issuer"] == {"id": PROFILE, "type": ["Profile"],
                                  "name": "Sở Nội vụ Hải Phòng", "url": f"{BASE}/"}
    did_document = client.get("/.well-known/did.json").get_json()
    for proof in document["proof"]:
        claims = verify(proof["jwt"], key_from_did(proof["jwt"], did_document))
        assert claims["iss"] == PROFILE and claims["issuer"] == document["issuer"]
    profile = client.get("/organisations/so-noi-vu/issuer.json")
    assert profile.status_code == 200 and profile.headers["Access-Control-Allow-Origin"] == "*"
    body = profile.get_json()
    assert body["id"] == PROFILE and body["name"] == "Sở Nội vụ Hải Phòng"
    assert body["description"] == "Hai Phong Department of Home Affairs"
    assert body["verificationMethod"] == did_document["assertionMethod"]
    assert client.get("/organisations/khong-co/issuer.json").status_code == 404


def test_the_installations_issuer_stays_for_no_organisation(cohort, trainee, client):
    made = issue(trainee)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    assert document["issuer"]["id"] == DID and schema_errors(document) == []
    assert client.get("/certificates/issuer.json").get_json()["id"] == DID


def test_migration_0026_gives_earlier_certificates_their_organisations_snapshot(
        organisation, trainee):
    """Certificates issued before the snapshot keep, from the migration on, the signatory and
    images their organisation had then; a later change no longer reaches them."""
    import importlib.util

    from course_app.certificates.pdf_file import certificate_document

    path = ROOT / "course_app" / "migrations" / "versions" / "0026_issuer_images.py"
    spec = importlib.util.spec_from_file_location("migration_0026", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    made = issue(trainee)
    with writing():  # as a certificate issued before revision 0026 was stored
        found = db.session.get(Certificate, made.id)
        found.issuer = {"vi": found.issuer["vi"], "en": found.issuer["en"]}
        db.session.execute(sa.delete(IssuerImage))
        db.session.commit()
    with writing():
        assert migration.snapshot_issued(db.session.connection()) == 1
        assert migration.snapshot_issued(db.session.connection()) == 0  # once only
        db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Certificate, made.id).issuer
    assert kept["vi"] == "Sở Nội vụ Hải Phòng"
    assert kept["signatory"] == {"name": "Trần Văn Bình", "title": "Giám đốc"}
    assert sorted(kept["images"]) == ["logo", "seal", "signature"]
    with writing():
        db.session.get(type(organisation), organisation.id).signatory_name = "Lê Thị Cúc"
        db.session.commit()
    document = certificate_document(db.session.get(Certificate, made.id))
    assert document.signatory_name == "Trần Văn Bình" and document.seal_image is not None


def test_a_seal_that_is_also_the_logo_is_kept_once(cohort, trainee):
    from course_app.certificates.pdf_file import certificate_document

    same = image_bytes("PNG", (200, 200), (120, 10, 10))
    place(cohort, make_organisation(images={"logo": same, "seal": same}))
    document = certificate_document(issue(trainee))
    assert document.logo_image == document.seal_image == same
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuerImage)) == 1
