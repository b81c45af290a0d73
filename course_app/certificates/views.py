"""Certificate PDFs for their holders and trainers, and public verification by code."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from ..security.access import access
from ..services import certificates
from ..services.certificate_pdf import certificate_pdf, verify_url
from ..services.errors import NotFound

bp = Blueprint("certificates", __name__)


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
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for("certificates.verify", code=code))
    return render_template("certificates/verify_form.html")


def _lookup(code: str) -> certificates.Verification | None:
    try:
        return certificates.verify(code)
    except NotFound:
        return None


@bp.route("/verify/<code>")
@access("public")
def verify(code: str) -> str | tuple[str, int]:
    found = _lookup(code)
    if found is None:
        return render_template("certificates/verify_form.html", unknown=code), 404
    return render_template("certificates/verify.html", found=found,
                           url=verify_url(found.certificate.code))


def verification_json(found: certificates.Verification) -> dict[str, Any]:
    certificate = found.certificate
    return {
        "code": certificate.code,
        "status": found.status,
        "holder": certificate.holder_name,
        "unit": certificate.holder_unit,
        "course": certificate.course_title,
        "date": certificate.issued_at.date().isoformat(),
        "issued_at": certificate.issued_at.isoformat(),
        "expires_at": certificate.expires_at.isoformat() if certificate.expires_at else None,
        "score": certificate.score,
        "hours": certificate.hours,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "verify_url": verify_url(certificate.code),
    }


@bp.route("/verify/<code>.json")
@access("public")
def verify_json(code: str) -> Response | tuple[Response, int]:
    found = _lookup(code)
    if found is None:
        return jsonify({"status": "unknown", "code": code[:64]}), 404
    return jsonify(verification_json(found))
