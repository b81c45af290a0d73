"""Certificate routes: who may use each, the PDF read back (text and QR code), public
verification of every status, unknown codes, the rate limit and the query count."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, Course, User
from course_app.models.types import utcnow
from course_app.security.access import policy_of

from ..helpers import sign_in

BASE = "https://khoahoc.example.vn"
POLICIES = {
    "certificates.pdf": "owner", "certificates.verify_form": "public",
    "certificates.verify": "public", "certificates.verify_json": "public",
    "certificates.openbadge": "public", "certificates.openbadge_jwt": "public",
    "certificates.revocations": "public", "certificates.issuer_profile": "public",
    "certificates.organisation_issuer": "public",
    "certificates.jwks": "public", "certificates.did_document": "public",
    "certificates.revocation_list": "public",
    "certificates.revoke": "trainer", "certificates.reissue": "trainer",
    "certificates.issue_by_hand": "trainer",
}


def demo() -> Course:
    return db.session.scalar(sa.select(Course).where(Course.slug == "demo"))


def issue(user: User, reason: str = "Học trực tiếp") -> Certificate:
    with writing():
        made = certificates.issue_manually(db.session.get(User, user.id), demo(), reason, None)
        db.session.commit()
    return made


def change(code: str, action, reason: str) -> Certificate:
    with writing():
        result = action(certificates.by_code(code), reason, None)
        db.session.commit()
    return result


def nfc_text(data: bytes) -> str:
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    return " ".join(unicodedata.normalize("NFC", text).split())


# ------------------------------------------------------------------------------ policies

def test_every_certificate_route_has_its_policy(app):
    declared = {rule.endpoint: policy_of(app, rule.endpoint) for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("certificates.")}
    assert declared == POLICIES


def test_anonymous_reaches_public_routes_but_not_the_pdf(app, client, trainee):
    code = issue(trainee).code
    for url in (f"/verify/{code}", f"/verify/{code}.json", f"/certificates/{code}/openbadge.json",
                f"/certificates/{code}/openbadge.jwt", f"/certificates/{code}/revocations.json",
                "/certificates/issuer.json", "/.well-known/jwks.json", "/.well-known/did.json",
                "/did.json", "/certificates/revocations.json", "/verify"):
        assert client.get(url).status_code == 200, url
    response = client.get(f"/certificates/{code}.pdf")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_pdf_for_holder_cohort_trainer_and_admin_only(app, trainee, make_user, cohort):
    code = issue(trainee).code
    allowed = [trainee, make_user("trainer", cohort=cohort), make_user("admin")]
    refused = [make_user("trainee", cohort=cohort), make_user("trainer")]
    for user, expected in [(u, 200) for u in allowed] + [(u, 404) for u in refused]:
        browser = app.test_client()
        sign_in(browser, user.email)
        assert browser.get(f"/certificates/{code}.pdf").status_code == expected, user.email
        assert browser.get("/certificates/unknown-code-000000000.pdf").status_code == 404


# ------------------------------------------------------------------------------ the PDF

def test_pdf_text_names_the_holder_with_diacritics_and_the_vietnamese_date(
        app, client, trainee, tmp_path):
    made = issue(trainee)
    sign_in(client, trainee.email)
    response = client.get(f"/certificates/{made.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    day = certificates.local_date(made.issued_at)
    vietnamese_date = f"Hải Phòng, ngày {day.day} tháng {day.month} năm {day.year}"
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [842, 595]  # A4 landscape
    text = nfc_text(response.data)
    for expected in ("Nguyễn Thị Hằng", "Sở Văn hóa", vietnamese_date, "Khóa học thử nghiệm",
                     "Ban Chỉ đạo công tác thông tin đối ngoại Thành phố Hải Phòng", made.code):
        assert expected in text, expected
    assert "?" not in text.replace(f"{BASE}/verify/{made.code}", "")
    if shutil.which("pdftotext"):
        path = tmp_path / "c.pdf"
        path.write_bytes(response.data)
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                             check=True, text=True).stdout
        poppler = unicodedata.normalize("NFC", out)
        assert "Nguyễn Thị Hằng" in poppler and vietnamese_date in poppler


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="zbarimg (zbar-tools) and pdftoppm (poppler-utils) are needed")
def test_pdf_qr_code_decodes_to_the_absolute_verify_url(client, trainee, tmp_path):
    made = issue(trainee)
    sign_in(client, trainee.email)
    (tmp_path / "c.pdf").write_bytes(client.get(f"/certificates/{made.code}.pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "c.pdf"),
                    str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                             capture_output=True, text=True, check=True).stdout.split()
    assert decoded == [f"{BASE}/verify/{made.code}"]


def test_revoked_pdf_says_so(client, trainee):
    made = issue(trainee)
    sign_in(client, trainee.email)
    before = client.get(f"/certificates/{made.code}.pdf").data
    assert "REVOKED" not in nfc_text(before)
    change(made.code, certificates.revoke, "Sai thông tin")
    assert "ĐÃ THU HỒI / REVOKED" in nfc_text(client.get(f"/certificates/{made.code}.pdf").data)


# ------------------------------------------------------------------------------ verification

def test_valid_certificate_shows_every_certified_field(client, trainee):
    made = issue(trainee)
    page = client.get(f"/verify/{made.code}").get_data(as_text=True)
    for expected in ("Nguyễn Thị Hằng", "Sở Văn hóa", "Khóa học thử nghiệm", made.code,
                     "Ban Chỉ đạo công tác thông tin đối ngoại Thành phố Hải Phòng",
                     "verify-valid"):
        assert expected in page, expected
    body = client.get(f"/verify/{made.code}.json").get_json()
    assert body["status"] == "valid" and body["holder"] == "Nguyễn Thị Hằng"
    assert body["unit"] == "Sở Văn hóa" and body["course"]["vi"] == "Khóa học thử nghiệm"
    assert body["date"] == certificates.local_date(made.issued_at).isoformat()
    assert body["issuer"]["en"] == "Steering Committee for External Information Work of Hai " \
                                   "Phong City"
    assert body["verify_url"] == f"{BASE}/verify/{made.code}"
    assert "score" in body and body["superseded_by"] is None


def test_revoked_shows_date_and_reason_and_never_valid(client, trainee):
    made = issue(trainee)
    assert "openbadge.json" in client.get(f"/verify/{made.code}").get_data(as_text=True)
    change(made.code, certificates.revoke, "Gian lận khi thi")
    page = client.get(f"/verify/{made.code}").get_data(as_text=True)
    assert "Gian lận khi thi" in page and "verify-revoked" in page
    assert "verify-valid" not in page
    assert "openbadge.json" not in page  # no link to a credential that is never signed again
    body = client.get(f"/verify/{made.code}.json").get_json()
    assert body["status"] == "revoked" and body["revoke_reason"] == "Gian lận khi thi"
    assert body["revoked_at"].startswith(str(utcnow().year))


def test_expired_certificate(client, trainee):
    made = issue(trainee)
    with writing():
        db.session.get(Certificate, made.id).expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    page = client.get(f"/verify/{made.code}").get_data(as_text=True)
    assert "verify-expired" in page and "verify-valid" not in page
    assert client.get(f"/verify/{made.code}.json").get_json()["status"] == "expired"


def test_superseded_links_to_the_new_certificate(client, trainee):
    made = issue(trainee)
    new = change(made.code, certificates.reissue, "Sửa họ tên")
    page = client.get(f"/verify/{made.code}").get_data(as_text=True)
    assert "verify-superseded" in page and f'href="/verify/{new.code}"' in page
    body = client.get(f"/verify/{made.code}.json").get_json()
    assert body["status"] == "superseded" and body["superseded_by"] == f"{BASE}/verify/{new.code}"
    assert client.get(f"/verify/{new.code}.json").get_json()["status"] == "valid"


def test_unknown_code_says_so_and_learns_nothing(client, trainee):
    issue(trainee)
    guess = "A" * 32
    page = client.get(f"/verify/{guess}")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "Nguyễn Thị Hằng" not in text and guess in text
    body = client.get(f"/verify/{guess}.json")
    assert body.status_code == 404 and body.get_json() == {"status": "unknown", "code": guess}
    for url in (f"/certificates/{guess}/openbadge.json", f"/certificates/{guess}/openbadge.jwt",
                f"/certificates/{guess}/revocations.json", "/verify/x"):
        assert client.get(url).status_code == 404, url


def test_form_redirects_a_typed_code_or_a_pasted_url(client):
    assert client.get("/verify?code=+abc123+").headers["Location"] == "/verify/abc123"
    pasted = client.get(f"/verify?code={BASE}/verify/abc123")
    assert pasted.headers["Location"] == "/verify/abc123"
    assert 'name="code"' in client.get("/verify").get_data(as_text=True)


def test_verification_page_runs_a_fixed_number_of_queries(client, trainee, count_queries):
    made = issue(trainee)
    new = change(made.code, certificates.reissue, "Sửa")
    with count_queries() as queries:
        client.get(f"/verify/{made.code}")
    with count_queries() as again:
        client.get(f"/verify/{new.code}")
    assert len(queries) <= 3 and len(again) <= 3


# ------------------------------------------------------------------------------ rate limit

def test_lookups_are_rate_limited_per_client_address(app, trainee):
    code = issue(trainee).code
    app.config["CERTIFICATE_LOOKUP_LIMIT"] = "3/minute"
    office = app.test_client()
    urls = [f"/verify/{code}", f"/verify/{code}.json", "/verify/" + "B" * 32]
    assert [office.get(url).status_code for url in urls] == [200, 200, 404]
    refused = office.get(f"/verify/{code}.json")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["status"] == 429
    page = office.get(f"/verify/{code}", headers={"X-Forwarded-For": "203.0.113.9"})
    assert page.status_code == 429 and "Nguyễn Thị Hằng" not in page.get_data(as_text=True)
    assert office.get(f"/certificates/{code}/openbadge.json").status_code == 429
    for url in ("/.well-known/jwks.json", "/.well-known/did.json",
                "/certificates/revocations.json"):
        assert office.get(url).status_code == 200  # not a lookup by code
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert elsewhere.get(f"/verify/{code}.json").status_code == 200
