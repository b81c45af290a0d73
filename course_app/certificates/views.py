"""Certificate PDFs for their holders and trainers; public verification by code; the Open Badges
3.0 credential and the public key that verifies it. Lookups by code are rate-limited per client
address, so codes cannot be guessed at speed."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

from ..domain.errors import NotFound
from ..security.access import access
from . import badge_keys as keys
from . import openbadge as badges
from . import service as certificates
from .issuers import organisation_by_slug as issuing_organisation_by_slug
from .pdf_file import certificate_pdf, verify_url

bp = Blueprint("certificates", __name__)

DEFAULT_LOOKUP_LIMIT = "60/minute"
_LIMITER_KEY = "course_app_certificate_lookups"


def _limiter() -> tuple[MovingWindowRateLimiter, Any]:
    found = current_app.extensions.get(_LIMITER_KEY)
    if found is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        limit = parse(current_app.config.get("CERTIFICATE_LOOKUP_LIMIT") or DEFAULT_LOOKUP_LIMIT)
        found = current_app.extensions[_LIMITER_KEY] = (MovingWindowRateLimiter(storage), limit)
    return found


def _too_many() -> Response:
    limiter, limit = _limiter()
    reset = limiter.get_window_stats(limit, "certificate-lookup", _client()).reset_time
    message = _("Too many verification requests from your address. Please wait a minute and "
                "try again.")
    if request.path.endswith(".json"):
        response = jsonify({"error": message, "status": 429})
    else:
        response = make_response(render_template("errors/error.html", code=429, message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(max(1, int(reset - time.time()) + 1))
    return response


def _client() -> str:
    return request.remote_addr or "unknown"


def rate_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        limiter, limit = _limiter()
        if not limiter.hit(limit, "certificate-lookup", _client()):
            return _too_many()
        return view(*args, **kwargs)

    return limited


def _public_json(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, for web verifiers
    return response


def _found(code: str) -> certificates.Verification:
    try:
        return certificates.verify(code)
    except NotFound:
        abort(404)


@bp.route("/certificates/<code>.pdf")
@access("owner")
def pdf(code: str) -> Response:
    try:
        certificate = certificates.by_code(code)
    except NotFound:
        abort(404)
    if not certificates.may_download(current_user, certificate):
        abort(404)
    response = make_response(certificate_pdf(certificate))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="chung-nhan-{code[:8]}.pdf"'
    return response


@bp.route("/verify", methods=["GET"])
@access("public")
def verify_form() -> str | Response:
    typed = (request.args.get("code") or "").strip()
    # People paste the whole verification URL from the paper as often as the bare code.
    code = typed.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    if code:
        return redirect(url_for("certificates.verify", code=code))
    return render_template("certificates/verify_form.html")


@bp.route("/verify/<code>")
@access("public")
@rate_limited
def verify(code: str) -> str | tuple[str, int]:
    try:
        found = certificates.verify(code)
    except NotFound:
        return render_template("certificates/verify_form.html", unknown=code), 404
    return render_template("certificates/verify.html", found=found,
                           url=verify_url(found.certificate.code))


def verification_json(found: certificates.Verification) -> dict[str, Any]:
    certificate, replacement = found.certificate, found.replacement
    return {
        "code": certificate.code,
        "status": found.status,
        "holder": certificate.holder_name,
        "unit": certificate.holder_unit,
        "course": certificate.course_title,
        "date": certificates.local_date(certificate.issued_at).isoformat(),
        "issued_at": certificate.issued_at.isoformat(),
        "expires_at": certificate.expires_at.isoformat() if certificate.expires_at else None,
        "score": certificate.score,
        "hours": certificate.hours,
        "capstone_assessed": certificate.capstone_assessed,
        "issuer": found.issuer,
        "organisation": None if found.organisation is None else {
            "slug": found.organisation.slug, "name": found.organisation.name,
            "signatory_name": found.signed_by.name if found.signed_by else None,
            "signatory_title": found.signed_by.title if found.signed_by else None,
            "issuer_profile": badges.organisation_profile(found.organisation)["id"]},
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "superseded_by": verify_url(replacement.code) if replacement else None,
        "verify_url": verify_url(certificate.code),
        "openbadge_url": certificates.public_url("certificates.openbadge", code=certificate.code),
    }


@bp.route("/verify/<code>.json")
@access("public")
@rate_limited
def verify_json(code: str) -> Response:
    try:
        found = certificates.verify(code)
    except NotFound:
        return _public_json({"status": "unknown", "code": code[:64]}, 404)
    return _public_json(verification_json(found))


def _withdrawn(found: certificates.Verification) -> Response:
    """A revoked or superseded certificate's credential is never signed again: 410 Gone, with
    its status, where a newer certificate is, and the revocation list that says so."""
    certificate, replacement = found.certificate, found.replacement
    return _public_json({
        "status": found.status, "credential": badges.credential_id(certificate.code),
        "verify_url": verify_url(certificate.code),
        "superseded_by": verify_url(replacement.code) if replacement else None,
        "revocation_list": certificates.public_url("certificates.revocation_list")}, 410)


@bp.route("/certificates/<code>/openbadge.json")
@access("public")
@rate_limited
def openbadge(code: str) -> Response:
    found = _found(code)
    if badges.withdrawn(found):
        return _withdrawn(found)
    document, _tokens = badges.signed_credential(found)
    return _public_json(document)


@bp.route("/certificates/<code>/openbadge.jwt")
@access("public")
@rate_limited
def openbadge_jwt(code: str) -> Response:
    alg = request.args.get("alg", keys.DEFAULT_ALGORITHM)
    if alg not in keys.ALGORITHMS:
        return _public_json({"error": "alg", "allowed": list(keys.ALGORITHMS)}, 400)
    found = _found(code)
    if badges.withdrawn(found):
        return _withdrawn(found)
    _document, tokens = badges.signed_credential(found, (alg,))
    response = make_response(tokens[0])
    response.headers["Content-Type"] = "application/vc+jwt"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/certificates/revocations.json")
@access("public")
def revocation_list() -> Response:
    return _public_json(badges.revocation_list())  # no-store, as all of /certificates/: fresh


@bp.route("/certificates/<code>/revocations.json")
@access("public")
@rate_limited
def revocations(code: str) -> Response:
    return _public_json(badges.certificate_revocations(_found(code)))


@bp.route("/certificates/issuer.json")
@access("public")
def issuer_profile() -> Response:
    profile = {"@context": badges.CONTEXTS, **badges.issuer_profile(badges.default_issuer()),
               "verificationMethod": [keys.key_id(alg) for alg in keys.ALGORITHMS]}
    return _public_json(profile)


@bp.route("/organisations/<slug>/issuer.json")
@access("public")
def organisation_issuer(slug: str) -> Response:
    """The Open Badges issuer profile of an organisation: the issuer of its credentials."""
    organisation = issuing_organisation_by_slug(slug)
    if organisation is None:
        abort(404)
    names = organisation.name or {}
    profile = {"@context": badges.CONTEXTS, **badges.organisation_profile(organisation),
               "description": names.get("en") or "",
               "verificationMethod": [keys.key_id(alg) for alg in keys.ALGORITHMS]}
    return _public_json(profile)


@bp.route("/.well-known/jwks.json")
@access("public")
def jwks() -> Response:
    return _public_json(keys.jwks())


# did:web resolves did:web:<host> to /.well-known/did.json, and did:web:<host>:<path> (an app
# served under a path) to <path>/did.json.
@bp.route("/.well-known/did.json")
@bp.route("/did.json")
@access("public")
def did_document() -> Response:
    response = _public_json(keys.did_document())
    response.headers["Content-Type"] = "application/did+json"
    return response
