"""Open Badges 3.0: the credential validates against 1EdTech's current official JSON Schema
(vendored in tests/fixtures/openbadges), its RS256 and EdDSA VC-JWTs verify with an independent
JOSE library (joserfc) and the keys the app publishes (the JWK set, the did:web document), any
change breaks them, and a revoked credential is reported through the revocation list and never
signed again. The keys themselves: tests/unit/test_badge_keys.py."""

from __future__ import annotations

import base64
import json
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import BadSignatureError, SecurityWarning
from joserfc.jwk import import_key
from jsonschema import Draft201909Validator, FormatChecker

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, Course, User
from course_app.models.types import utcnow

SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "openbadges" /
                     "achievementcredential.json").read_text(encoding="utf-8"))
BASE = "https://khoahoc.example.vn"
DID = "did:web:khoahoc.example.vn"
REGISTERED = {"iss", "jti", "nbf", "sub", "exp"}


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def header_of(token: str) -> dict[str, Any]:
    return json.loads(unb64(token.split(".")[0]))


def key_from_jwks(token: str, jwks: dict[str, Any]) -> Any:
    """The JWK named by the header's kid (a DID URL whose fragment is the JWK's kid)."""
    fragment = header_of(token)["kid"].rsplit("#", 1)[1]
    return import_key(next(key for key in jwks["keys"] if key["kid"] == fragment))


def key_from_did(token: str, did_document: dict[str, Any]) -> Any:
    """Dereference the kid in the did:web document, as a wallet resolving the issuer would."""
    kid = header_of(token)["kid"]
    assert kid.split("#")[0] == did_document["id"] and kid in did_document["assertionMethod"]
    method = next(m for m in did_document["verificationMethod"] if m["id"] == kid)
    assert "d" not in method["publicKeyJwk"]
    return import_key(method["publicKeyJwk"])


def verify(token: str, key: Any) -> dict[str, Any]:
    """joserfc checks the compact JWS; only the two algorithms we publish are accepted."""
    with warnings.catch_warnings():
        # RFC 9864 (2025) names Ed25519 "Ed25519" rather than "EdDSA"; the same signature, and
        # "EdDSA" is what Open Badges verifiers read today (docs/certificates.md).
        warnings.simplefilter("ignore", SecurityWarning)
        verified = jws.deserialize_compact(token, key, algorithms=["RS256", "EdDSA"])
    return json.loads(verified.payload)


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

def test_vendored_schema_is_the_current_official_one():
    Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                             "ob_v3p0_achievementcredential-jsonschema1.json")
    assert SCHEMA["required"] == ["@context", "id", "type", "credentialSubject", "issuer",
                                  "validFrom"]
    assert SCHEMA["properties"]["proof"]["type"] == "array"


def test_credential_is_valid_against_the_official_schema(client, trainee):
    made = issue(trainee, months=24)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    assert schema_errors(document) == []
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(document["type"])
    assert document["id"].startswith("urn:uuid:") and made.code not in json.dumps(
        {k: v for k, v in document.items() if k != "proof"})
    assert document["credentialSchema"][0]["id"] == SCHEMA["$id"]
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Hằng"
    assert subject["result"][0]["value"] == "87.5"
    achievement = subject["achievement"]
    assert achievement["name"] == "Khóa học thử nghiệm"
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert "Read every lesson" in achievement["criteria"]["narrative"]
    assert document["issuer"] == {"id": DID, "type": ["Profile"],
                                  "name": "Ban Chỉ đạo công tác thông tin đối ngoại Thành phố "
                                          "Hải Phòng", "url": f"{BASE}/"}
    issued = datetime.strptime(document["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
    expires = datetime.strptime(document["validUntil"], "%Y-%m-%dT%H:%M:%SZ")
    assert expires.year == issued.year + 2
    assert "issuanceDate" not in document and "expirationDate" not in document  # VC 1.1 terms
    assert document["credentialStatus"] == {"id": f"{BASE}/certificates/revocations.json",
                                            "type": "1EdTechRevocationList"}
    assert [header_of(p["jwt"])["alg"] for p in document["proof"]] == ["RS256", "EdDSA"]


def test_the_schema_check_would_catch_a_broken_credential(client, trainee):
    made = issue(trainee)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    del document["credentialSubject"]["achievement"]["criteria"]
    del document["validFrom"]  # the 2023 schema wanted issuanceDate instead
    document["proof"] = document["proof"][0]  # one object, as the 2023 schema took it
    errors = schema_errors(document)
    assert any("criteria" in e for e in errors) and any("validFrom" in e for e in errors)
    assert any(e.startswith("['proof']") for e in errors)


# ------------------------------------------------------------------------------ the signature

@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_vc_jwt_verifies_with_the_jwks_and_the_did_document(client, trainee, alg):
    made = issue(trainee, months=12)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    jwks = client.get("/.well-known/jwks.json").get_json()
    did_document = client.get("/.well-known/did.json").get_json()
    token = client.get(f"/certificates/{made.code}/openbadge.jwt?alg={alg}")
    assert token.mimetype == "application/vc+jwt"
    token = token.get_data(as_text=True)
    assert header_of(token) == {"alg": alg, "typ": "JWT",
                                "kid": f"{DID}#{key_from_jwks(token, jwks).kid}"}
    claims = verify(token, key_from_jwks(token, jwks))
    assert verify(token, key_from_did(token, did_document)) == claims
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    # OB 3.0 §8.2.4: the payload is the credential, plus the registered claims.
    assert {k: v for k, v in claims.items() if k not in REGISTERED} == unsigned
    assert claims["iss"] == document["issuer"]["id"] == DID and claims["jti"] == document["id"]
    assert claims["sub"] == document["credentialSubject"]["id"]
    assert claims["nbf"] == int(datetime.strptime(document["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
                                .replace(tzinfo=UTC).timestamp())
    assert claims["exp"] > claims["nbf"]
    proof = next(p for p in document["proof"] if header_of(p["jwt"])["alg"] == alg)
    assert proof["verificationMethod"] == header_of(token)["kid"]
    assert verify(proof["jwt"], key_from_did(proof["jwt"], did_document)) == claims


def test_rs256_is_the_default_and_other_algorithms_are_refused(client, trainee):
    made = issue(trainee)
    token = client.get(f"/certificates/{made.code}/openbadge.jwt").get_data(as_text=True)
    assert header_of(token)["alg"] == "RS256"
    for alg in ("none", "HS256", "eddsa"):
        response = client.get(f"/certificates/{made.code}/openbadge.jwt?alg={alg}")
        assert response.status_code == 400 and response.get_json()["error"] == "alg"


def test_changing_one_field_breaks_the_signature(client, trainee):
    made = issue(trainee)
    jwks = client.get("/.well-known/jwks.json").get_json()
    for alg in ("RS256", "EdDSA"):
        url = f"/certificates/{made.code}/openbadge.jwt?alg={alg}"
        token = client.get(url).get_data(as_text=True)
        key = key_from_jwks(token, jwks)
        header_b64, payload_b64, signature_b64 = token.split(".")
        claims = json.loads(unb64(payload_b64))
        claims["credentialSubject"]["result"][0]["value"] = "97.5"
        with pytest.raises(BadSignatureError):
            verify(f"{header_b64}.{b64(json.dumps(claims).encode())}.{signature_b64}", key)
        claims = json.loads(unb64(payload_b64))
        claims["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Thị Hàng"
        with pytest.raises(BadSignatureError):
            verify(f"{header_b64}.{b64(json.dumps(claims).encode())}.{signature_b64}", key)
        verify(token, key)  # the untouched token still verifies
    token = client.get(f"/certificates/{made.code}/openbadge.jwt?alg=EdDSA").get_data(
        as_text=True)
    header_b64, payload_b64, _ = token.split(".")
    other = Ed25519PrivateKey.generate()  # signed by someone else, claiming our kid
    resigned = b64(other.sign(f"{header_b64}.{payload_b64}".encode()))
    with pytest.raises(BadSignatureError):
        verify(f"{header_b64}.{payload_b64}.{resigned}", key_from_jwks(token, jwks))


def test_expired_certificate_has_an_exp_claim_in_the_past(client, trainee):
    made = issue(trainee)
    with writing():
        db.session.get(Certificate, made.id).expires_at = utcnow() - timedelta(days=2)
        db.session.commit()
    token = client.get(f"/certificates/{made.code}/openbadge.jwt").get_data(as_text=True)
    claims = verify(token, key_from_jwks(token, client.get("/.well-known/jwks.json").get_json()))
    assert claims["exp"] < utcnow().timestamp()


# ------------------------------------------------------------------------------ revocation

def test_revoked_credential_is_listed_and_never_signed_again(client, trainee):
    made = issue(trainee)
    document = client.get(f"/certificates/{made.code}/openbadge.json").get_json()
    status_url = document["credentialStatus"]["id"].removeprefix(BASE)
    listed = client.get(status_url)
    assert listed.headers["Access-Control-Allow-Origin"] == "*"
    assert listed.headers["Cache-Control"] == "no-store"  # a revocation shows at once
    assert listed.get_json() == {"id": f"{BASE}/certificates/revocations.json", "issuer": DID,
                                 "revokedCredentials": []}
    with writing():
        certificates.revoke(certificates.by_code(made.code), "Gian lận", None)
        db.session.commit()
    body = client.get(status_url).get_json()
    assert body["revokedCredentials"] == [{"id": document["id"], "revocationReason": "revoked"}]
    assert "Gian lận" not in json.dumps(body)  # the free-text reason stays behind the code
    for suffix in ("openbadge.json", "openbadge.jwt", "openbadge.jwt?alg=EdDSA"):
        gone = client.get(f"/certificates/{made.code}/{suffix}")
        assert gone.status_code == 410 and "eyJ" not in gone.get_data(as_text=True)
        assert gone.get_json()["status"] == "revoked"
        assert gone.get_json()["credential"] == document["id"]
    old = client.get(f"/certificates/{made.code}/revocations.json").get_json()
    assert {item["id"] for item in old["revokedCredentials"]} == {
        document["id"], f"{BASE}/certificates/{made.code}/openbadge.json"}


def test_superseded_credential_is_listed_as_revoked(client, trainee):
    made = issue(trainee)
    with writing():
        newer = certificates.reissue(certificates.by_code(made.code), "Sửa tên", None)
        db.session.commit()
    listed = client.get("/certificates/revocations.json").get_json()["revokedCredentials"]
    assert [item["revocationReason"] for item in listed] == ["superseded"]
    gone = client.get(f"/certificates/{made.code}/openbadge.json")
    assert gone.status_code == 410
    assert gone.get_json()["superseded_by"] == f"{BASE}/verify/{newer.code}"
    fresh = client.get(f"/certificates/{newer.code}/openbadge.json").get_json()
    assert fresh["id"] not in {item["id"] for item in listed}


def test_issuer_profile_names_the_verification_methods(client, loaded):
    profile = client.get("/certificates/issuer.json").get_json()
    assert profile["id"] == DID
    assert profile["name"].startswith("Ban Chỉ đạo")
    did_document = client.get("/.well-known/did.json").get_json()
    assert profile["verificationMethod"] == did_document["assertionMethod"]
