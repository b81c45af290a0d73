"""Open Badges 3.0: each certificate as an OpenBadgeCredential, signed as a VC-JWT (a compact
JWS, EdDSA with an Ed25519 key), and the public key published as a JWK set.

The key comes from COURSE_APP_BADGE_SIGNING_KEY (PEM text, a path to a PEM file, or the
base64url 32-byte private key), else from instance/badge-signing-key.pem, generated once."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from ..extensions import db
from ..models import Certificate, Course
from .service import Verification, get_holder_and_course, public_base, public_url

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA_ID = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "achievementcredentialv3p0.schema.json")
KEY_FILE = "badge-signing-key.pem"
_EXTENSION_KEY = "course_app_badge_key"


# ------------------------------------------------------------------------------ the key

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _parse_key(configured: str) -> Ed25519PrivateKey:
    text = configured.strip()
    if "BEGIN" not in text and os.path.isfile(text):
        text = Path(text).read_text(encoding="ascii")
    if "BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    else:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key = Ed25519PrivateKey.from_private_bytes(raw)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("COURSE_APP_BADGE_SIGNING_KEY must be an Ed25519 private key")
    return key


def _instance_key(path: Path) -> Ed25519PrivateKey:
    """Load the instance key, generating it on first use; the first of several workers wins."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # mode 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(pem)
        try:
            os.link(temporary, path)  # atomic, and fails if another worker was first
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return _parse_key(path.read_text(encoding="ascii"))


def signing_key() -> Ed25519PrivateKey:
    key = current_app.extensions.get(_EXTENSION_KEY)
    if key is None:
        configured = current_app.config.get("BADGE_SIGNING_KEY")
        key = _parse_key(str(configured)) if configured else _instance_key(
            Path(current_app.instance_path) / KEY_FILE)
        current_app.extensions[_EXTENSION_KEY] = key
    return key


def public_jwk() -> dict[str, str]:
    raw = signing_key().public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}
    # RFC 7638 thumbprint: SHA-256 of the required members, sorted, without whitespace.
    thumbprint = b64url(hashlib.sha256(json.dumps(
        members, sort_keys=True, separators=(",", ":")).encode()).digest())
    return {**members, "kid": thumbprint, "use": "sig", "alg": "EdDSA"}


def jwks() -> dict[str, Any]:
    return {"keys": [public_jwk()]}


def key_id() -> str:
    return f"{public_url('certificates.jwks')}#{public_jwk()['kid']}"


# ------------------------------------------------------------------------------ the credential

def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # whole seconds: JWT dates are whole seconds


def default_issuer() -> str:
    """The installation's name as an issuer: configured, else the first course's issuer."""
    configured = current_app.config.get("CERTIFICATE_ISSUER_VI")
    if configured:
        return str(configured)
    block = db.session.scalar(sa.select(Course.certificate).order_by(Course.id).limit(1)) or {}
    return str((block.get("issuer") or {}).get("vi") or public_base() or "course_app")


def issuer_profile(name: str) -> dict[str, Any]:
    return {"id": public_url("certificates.issuer_profile"), "type": ["Profile"],
            "name": name, "url": public_base() + "/"}


def _criteria(completion: dict[str, Any]) -> str:
    vi = ["Đọc tất cả các bài học và đạt tất cả các bài kiểm tra bắt buộc."]
    en = ["Read every lesson and pass every required quiz."]
    if completion.get("min_average") is not None:
        vi.append(f"Điểm trung bình tối thiểu {completion['min_average']}%.")
        en.append(f"Average score of at least {completion['min_average']}%.")
    if completion.get("final_exam"):
        score = completion.get("min_final_score")
        vi.append("Đạt bài kiểm tra cuối khóa" + (f" với tối thiểu {score}%." if score else "."))
        en.append("Pass the final exam" + (f" with at least {score}%." if score else "."))
    if completion.get("min_hours") is not None:
        vi.append(f"Thời gian học tối thiểu {completion['min_hours']} giờ.")
        en.append(f"At least {completion['min_hours']} hours of study.")
    return " ".join(vi) + "\n\n" + " ".join(en)


def _achievement(certificate: Certificate, course: Course) -> dict[str, Any]:
    title = certificate.course_title or {}
    achievement_id = f"{public_base()}/courses/{course.slug}"
    # The course description's first paragraph: wallets show a short text.
    description = ((course.description or {}).get("vi") or "").strip().split("\n\n")[0]
    achievement: dict[str, Any] = {
        "id": achievement_id, "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion", "@language": "vi",
        "name": title.get("vi") or title.get("en") or course.slug,
        "description": " ".join(description.split()) or title.get("vi", ""),
        "criteria": {"narrative": _criteria(course.completion or {})},
    }
    if certificate.score is not None:
        achievement["resultDescription"] = [{
            "id": f"{achievement_id}#score", "type": ["ResultDescription"],
            "name": "Kết quả / Score", "resultType": "Percent", "valueMin": "0",
            "valueMax": "100"}]
    return achievement


def _subject(certificate: Certificate, course: Course, credential_id: str) -> dict[str, Any]:
    achievement = _achievement(certificate, course)
    subject: dict[str, Any] = {
        # Stable per certificate and reveals nothing about the account.
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id + '#subject')}",
        "type": ["AchievementSubject"], "achievement": achievement,
        "identifier": [{"type": "IdentityObject", "hashed": False,
                        "identityHash": certificate.holder_name, "identityType": "ext:name"}],
    }
    if certificate.score is not None:
        subject["result"] = [{"type": ["Result"],
                              "resultDescription": achievement["resultDescription"][0]["id"],
                              "value": f"{certificate.score:g}"}]
    return subject


def credential(found: Verification) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a certificate."""
    certificate = found.certificate
    _, course = get_holder_and_course(certificate)
    credential_id = public_url("certificates.openbadge", code=certificate.code)
    title = certificate.course_title or {}
    document: dict[str, Any] = {
        "@context": CONTEXTS, "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title.get("vi") or course.slug,
        "description": f"{certificate.holder_name} – {title.get('vi', '')} / "
                       f"{title.get('en') or title.get('vi', '')}",
        "issuer": issuer_profile(found.issuer["vi"] or found.issuer["en"]),
        "issuanceDate": _timestamp(certificate.issued_at),
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": _subject(certificate, course, credential_id),
        "credentialStatus": {"id": public_url("certificates.revocations", code=certificate.code),
                             "type": "1EdTechRevocationList"},
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_at:
        document["expirationDate"] = document["validUntil"] = _timestamp(certificate.expires_at)
    return document


# ------------------------------------------------------------------------------ VC-JWT

def _claims(document: dict[str, Any], certificate: Certificate) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": document["issuer"]["id"], "jti": document["id"],
        "nbf": int(certificate.issued_at.replace(microsecond=0).timestamp()),
        "sub": document["credentialSubject"]["id"], "vc": document}
    if certificate.expires_at:
        claims["exp"] = int(certificate.expires_at.replace(microsecond=0).timestamp())
    return claims


def sign(document: dict[str, Any], certificate: Certificate) -> str:
    """The credential as a compact JWS (OB 3.0 §8.2, JSON Web Token Proof Format)."""
    header = {"alg": "EdDSA", "kid": key_id(), "typ": "JWT"}
    parts = [b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
             for part in (header, _claims(document, certificate))]
    signing_input = ".".join(parts).encode("ascii")
    return f"{parts[0]}.{parts[1]}.{b64url(signing_key().sign(signing_input))}"


def signed_credential(found: Verification) -> tuple[dict[str, Any], str]:
    """The credential with its VC-JWT attached as a proof, and the VC-JWT itself."""
    document = credential(found)
    token = sign(document, found.certificate)
    proof = {"type": "JwtProof2020", "proofPurpose": "assertionMethod",
             "verificationMethod": key_id(), "created": document["issuanceDate"], "jwt": token}
    return {**document, "proof": proof}, token


def revocation_list(found: Verification) -> dict[str, Any]:
    """The 1EdTech revocation list of one credential: empty unless revoked or superseded."""
    certificate = found.certificate
    revoked = []
    if found.status in ("revoked", "superseded"):
        reason = certificate.revoke_reason if found.status == "revoked" else "superseded"
        revoked.append({"id": public_url("certificates.openbadge", code=certificate.code),
                        "revocationReason": reason or found.status})
    return {"id": public_url("certificates.revocations", code=certificate.code),
            "issuer": public_url("certificates.issuer_profile"),
            "revokedCredentials": revoked}
