"""Open Badges 3.0: the credential validates against 1EdTech's official JSON Schema (vendored in
tests/fixtures/openbadges), its VC-JWT verifies with the published key alone, and any change
breaks it. The verifier here is written from the specification, not taken from the app."""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from jsonschema import Draft201909Validator, FormatChecker

from course_app.certificates import openbadge
from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, Course, User
from course_app.models.types import utcnow

SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "openbadges" /
                     "achievementcredential.json").read_text(encoding="utf-8"))
BASE = "https://khoahoc.example.vn"
# RFC 8037, Appendix A.1 and A.3: an Ed25519 key and its JWK thumbprint.
RFC_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_vc_jwt(token: str, jwks: dict) -> tuple[dict, dict]:
    """Check a compact JWS with a key of the JWK set, as a third party would."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(unb64(header_b64))
    assert header["alg"] == "EdDSA"
    kid = header["kid"].rsplit("#", 1)[1]
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public = Ed25519PublicKey.from_public_bytes(unb64(jwk["x"]))
    public.verify(unb64(signature_b64), f"{header_b64}.{payload_b64}".encode("ascii"))
    return header, json.loads(unb64(payload_b64))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def issue(user: User, months: int | None = None) -> Certificate:
    with writing():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
        if months:
            course.certificate = {**course.certificate, "validity_months": months}
        made = certificates.issue_manually(db.session.get(User, user.id), course, "lý do", None)
        made.score = 87.5
        db.session.commit()
    return made


def schema_errors(document: dict) -> list[str]:
    validator = Draft201909Validator(SCHEMA, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# ------------------------------------------------------------------------------ the credential

def test_vendored_schema_is_the_official_one():
    Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/")
    assert SCHEMA["required"] == ["@context", "id", "type", "name", "credentialSubject",
                                  "issuer", "issuanceDate"]


def test_credential_is_valid_against_the_official_schema(client, trainee):
    made = issue(trainee, months=24)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    assert schema_errors(document) == []
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(document["type"])
    assert document["id"] == f"{BASE}/certificates/{made.code}/openbadge.json"
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Hằng"
    assert subject["result"][0]["value"] == "87.5"
    achievement = subject["achievement"]
    assert achievement["name"] == "Khóa học thử nghiệm"
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert "Read every lesson" in achievement["criteria"]["narrative"]
    assert document["issuer"] == {"id": f"{BASE}/certificates/issuer.json", "type": ["Profile"],
                                  "name": "Ban Chỉ đạo công tác thông tin đối ngoại Thành phố "
                                          "Hải Phòng", "url": f"{BASE}/"}
    issued = datetime.strptime(document["issuanceDate"], "%Y-%m-%dT%H:%M:%SZ")
    expires = datetime.strptime(document["expirationDate"], "%Y-%m-%dT%H:%M:%SZ")
    assert expires.year == issued.year + 2
    assert document["credentialStatus"] == {
        "id": f"{BASE}/certificates/{made.code}/revocations.json",
        "type": "1EdTechRevocationList"}


def test_the_schema_check_would_catch_a_broken_credential(client, trainee):
    made = issue(trainee)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    del document["credentialSubject"]["achievement"]["criteria"]
    document["credentialSubject"]["email"] = "hang@example.vn"  # not a subject property
    errors = schema_errors(document)
    assert any("criteria" in e for e in errors) and any("email" in e for e in errors)


# ------------------------------------------------------------------------------ the signature

def test_vc_jwt_verifies_with_the_published_key(client, trainee):
    made = issue(trainee, months=12)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    jwks = client.get("/.well-known/jwks.json").get_json()
    token = document["proof"]["jwt"]
    header, claims = verify_vc_jwt(token, jwks)
    assert header == {"alg": "EdDSA", "typ": "JWT",
                      "kid": f"{BASE}/.well-known/jwks.json#{jwks['keys'][0]['kid']}"}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    assert claims["vc"] == unsigned  # the page shows exactly what was signed
    assert claims["iss"] == document["issuer"]["id"] and claims["jti"] == document["id"]
    assert claims["sub"] == document["credentialSubject"]["id"]
    assert claims["nbf"] == int(datetime.strptime(document["issuanceDate"], "%Y-%m-%dT%H:%M:%SZ")
                                .replace(tzinfo=UTC).timestamp())
    assert claims["exp"] > claims["nbf"]
    assert document["proof"]["verificationMethod"] == header["kid"]
    jwt = client.get(f"/certificates/{made.code}/openbadge.jwt")
    assert jwt.mimetype == "application/vc+jwt" and jwt.get_data(as_text=True) == token


def test_changing_one_field_breaks_the_signature(client, trainee):
    made = issue(trainee)
    token = client.get(f"/certificates/{made.code}/openbadge.jwt").get_data(as_text=True)
    jwks = client.get("/.well-known/jwks.json").get_json()
    header_b64, payload_b64, signature_b64 = token.split(".")
    claims = json.loads(unb64(payload_b64))
    claims["vc"]["credentialSubject"]["result"][0]["value"] = "97.5"
    forged = f"{header_b64}.{b64(json.dumps(claims).encode())}.{signature_b64}"
    with pytest.raises(InvalidSignature):
        verify_vc_jwt(forged, jwks)
    claims = json.loads(unb64(payload_b64))
    claims["vc"]["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Thị Hàng"
    with pytest.raises(InvalidSignature):
        verify_vc_jwt(f"{header_b64}.{b64(json.dumps(claims).encode())}.{signature_b64}", jwks)
    other = Ed25519PrivateKey.generate()  # signed by someone else, claiming our kid
    resigned = b64(other.sign(f"{header_b64}.{payload_b64}".encode()))
    with pytest.raises(InvalidSignature):
        verify_vc_jwt(f"{header_b64}.{payload_b64}.{resigned}", jwks)
    verify_vc_jwt(token, jwks)  # the untouched token still verifies


def test_revocation_list_follows_the_status(client, trainee):
    made = issue(trainee)
    url = f"/certificates/{made.code}/revocations.json"
    assert client.get(url).get_json()["revokedCredentials"] == []
    with writing():
        certificates.revoke(certificates.by_code(made.code), "Gian lận", None)
        db.session.commit()
    body = client.get(url).get_json()
    assert body["issuer"] == f"{BASE}/certificates/issuer.json"
    assert body["revokedCredentials"] == [
        {"id": f"{BASE}/certificates/{made.code}/openbadge.json", "revocationReason": "Gian lận"}]


def test_superseded_credential_is_listed_as_revoked(client, trainee):
    made = issue(trainee)
    with writing():
        certificates.reissue(certificates.by_code(made.code), "Sửa tên", None)
        db.session.commit()
    listed = client.get(f"/certificates/{made.code}/revocations.json").get_json()
    assert listed["revokedCredentials"][0]["revocationReason"] == "superseded"


# ------------------------------------------------------------------------------ the key

def test_configured_key_and_rfc8037_thumbprint(app):
    app.config["BADGE_SIGNING_KEY"] = RFC_D
    with app.test_request_context():
        key = openbadge.public_jwk()
    assert key == {"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "kid": RFC_THUMBPRINT,
                   "use": "sig", "alg": "EdDSA"}
    assert not (Path(app.instance_path) / openbadge.KEY_FILE).exists()


def test_configured_pem_key_or_pem_file(app, tmp_path):
    private = Ed25519PrivateKey.from_private_bytes(unb64(RFC_D))
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    assert openbadge._parse_key(pem).public_key().public_bytes_raw() == unb64(RFC_X)
    (tmp_path / "key.pem").write_text(pem)
    parsed = openbadge._parse_key(str(tmp_path / "key.pem"))
    assert parsed.public_key().public_bytes_raw() == unb64(RFC_X)


@pytest.mark.parametrize("bad", ["not-a-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                 "-----END PRIVATE KEY-----"])
def test_bad_configured_key_is_refused(bad):
    with pytest.raises(ValueError):
        openbadge._parse_key(bad)


def test_instance_key_is_generated_once_privately_and_reused(app):
    with app.test_request_context():
        first = openbadge.public_jwk()
        path = Path(app.instance_path) / openbadge.KEY_FILE
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        app.extensions.pop("course_app_badge_key")  # as a restarted server would
        assert openbadge.public_jwk() == first
    assert "d" not in first and "PRIVATE" in path.read_text()
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_jwks_never_publishes_the_private_key(client):
    body = client.get("/.well-known/jwks.json")
    assert body.headers["Access-Control-Allow-Origin"] == "*"
    keys = body.get_json()["keys"]
    assert len(keys) == 1 and set(keys[0]) == {"kty", "crv", "x", "kid", "use", "alg"}


def test_issuer_profile_names_the_verification_key(client, loaded):
    profile = client.get("/certificates/issuer.json").get_json()
    assert profile["id"] == f"{BASE}/certificates/issuer.json"
    assert profile["name"].startswith("Ban Chỉ đạo")
    kid = client.get("/.well-known/jwks.json").get_json()["keys"][0]["kid"]
    assert profile["verificationMethod"] == [f"{BASE}/.well-known/jwks.json#{kid}"]


def test_expired_certificate_has_an_exp_claim_in_the_past(client, trainee):
    made = issue(trainee)
    with writing():
        db.session.get(Certificate, made.id).expires_at = utcnow() - timedelta(days=2)
        db.session.commit()
    token = client.get(f"/certificates/{made.code}/openbadge.jwt").get_data(as_text=True)
    _, claims = verify_vc_jwt(token, client.get("/.well-known/jwks.json").get_json())
    assert claims["exp"] < utcnow().timestamp()
