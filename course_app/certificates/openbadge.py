"""Open Badges 3.0: each certificate as an OpenBadgeCredential (VC Data Model 2.0), signed as a
VC-JWT with RS256 (the algorithm every verifier must support) or EdDSA, issued by the
installation's did:web identifier; and the 1EdTech revocation list its credentialStatus names.
The keys, the JWK set and the DID document live in badge_keys.py."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Certificate, Course, Organisation
from .badge_keys import DEFAULT_ALGORITHM, b64url, issuer_did, key_id, sign_compact
from .service import Verification, get_holder_and_course, public_base, public_url

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA_ID = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "ob_v3p0_achievementcredential-jsonschema1.json")
# Statuses whose credentials are no longer good: listed as revoked, never signed again.
WITHDRAWN = ("revoked", "superseded")
_CREDENTIAL_NAMESPACE = uuid.UUID("5b0e4a52-2d1b-5c43-9a57-6f1d0c0e9a10")


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
    return {"id": issuer_did(), "type": ["Profile"], "name": name, "url": public_base() + "/"}


def organisation_profile(organisation: Organisation) -> dict[str, Any]:
    """An organisation as the issuer: its profile's address is its id (a verifier fetches it);
    the credential is still signed with the installation's keys, which the profile names."""
    names = organisation.name or {}
    return {"id": public_url("certificates.organisation_issuer", slug=organisation.slug),
            "type": ["Profile"], "name": names.get("vi") or names.get("en") or organisation.slug,
            "url": public_base() + "/"}


def issuer_of(found: Verification) -> dict[str, Any]:
    """The credential's issuer: the certificate's organisation, else the installation."""
    if found.organisation is not None:
        return organisation_profile(found.organisation)
    return issuer_profile(found.issuer["vi"] or found.issuer["en"])


def credential_id(code: str) -> str:
    """A urn:uuid derived from the code: the revocation list can name it without revealing the
    code, which is what opens the verification page."""
    return f"urn:uuid:{uuid.uuid5(_CREDENTIAL_NAMESPACE, code)}"


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
    identifier = credential_id(certificate.code)
    title = certificate.course_title or {}
    document: dict[str, Any] = {
        "@context": CONTEXTS, "id": identifier,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title.get("vi") or course.slug,
        "description": f"{certificate.holder_name} – {title.get('vi', '')} / "
                       f"{title.get('en') or title.get('vi', '')}",
        "issuer": issuer_of(found),
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": _subject(certificate, course, identifier),
        "credentialStatus": {"id": public_url("certificates.revocation_list"),
                             "type": "1EdTechRevocationList"},
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_at:
        document["validUntil"] = _timestamp(certificate.expires_at)
    return document


# ------------------------------------------------------------------------------ VC-JWT

def claims(document: dict[str, Any], certificate: Certificate) -> dict[str, Any]:
    """The JWT payload (OB 3.0 §8.2.4): the credential itself, with the registered claims."""
    payload: dict[str, Any] = {
        **document, "iss": document["issuer"]["id"], "jti": document["id"],
        "nbf": int(certificate.issued_at.replace(microsecond=0).timestamp()),
        "sub": document["credentialSubject"]["id"]}
    if certificate.expires_at:
        payload["exp"] = int(certificate.expires_at.replace(microsecond=0).timestamp())
    return payload


def sign(document: dict[str, Any], certificate: Certificate,
         alg: str = DEFAULT_ALGORITHM) -> str:
    """The credential as a compact JWS signed with the issuer's key for `alg`."""
    header = {"alg": alg, "kid": key_id(alg), "typ": "JWT"}
    parts = [b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
             for part in (header, claims(document, certificate))]
    signing_input = ".".join(parts).encode("ascii")
    return f"{parts[0]}.{parts[1]}.{b64url(sign_compact(signing_input, alg))}"


def withdrawn(found: Verification) -> bool:
    return found.status in WITHDRAWN


def signed_credential(found: Verification, algorithms: tuple[str, ...] = ("RS256", "EdDSA"),
                      ) -> tuple[dict[str, Any], list[str]]:
    """The credential with one VC-JWT proof per algorithm, and those VC-JWTs. Never for a revoked
    or superseded certificate: the caller answers 410 instead."""
    if withdrawn(found):
        raise ValueError("a revoked or superseded certificate is never signed again")
    document = credential(found)
    tokens = [sign(document, found.certificate, alg) for alg in algorithms]
    proofs = [{"type": "JwtProof2020", "proofPurpose": "assertionMethod",
               "verificationMethod": key_id(alg), "created": document["validFrom"],
               "jwt": token} for alg, token in zip(algorithms, tokens, strict=True)]
    return {**document, "proof": proofs}, tokens


# ------------------------------------------------------------------------------ revocation

def _listed(code: str, status: str) -> dict[str, str]:
    # The admin's free-text reason stays on the verification page, behind the code.
    return {"id": credential_id(code), "revocationReason": status}


def revocation_list() -> dict[str, Any]:
    """The installation's 1EdTech revocation list: every revoked or superseded credential."""
    rows = db.session.execute(sa.select(Certificate.code, Certificate.status)
                              .where(Certificate.status.in_(WITHDRAWN)).order_by(Certificate.id))
    return {"id": public_url("certificates.revocation_list"), "issuer": issuer_did(),
            "revokedCredentials": [_listed(code, status) for code, status in rows]}


def certificate_revocations(found: Verification) -> dict[str, Any]:
    """The list of one credential, for credentials signed before the installation-wide list
    existed (their credentialStatus and id were the per-code URLs)."""
    certificate = found.certificate
    revoked = []
    if withdrawn(found):
        revoked = [{**_listed(certificate.code, found.status), "id": public_url(
            "certificates.openbadge", code=certificate.code)}, _listed(certificate.code,
                                                                       found.status)]
    return {"id": public_url("certificates.revocations", code=certificate.code),
            "issuer": issuer_did(), "revokedCredentials": revoked}
