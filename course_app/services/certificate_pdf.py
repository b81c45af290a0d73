"""Building the certificate's PDF from the certified fields."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app, request, url_for

from ..models import Certificate
from ..pdf.certificate import CertificateDocument, render_certificate_pdf
from .certificates import get_holder_and_course, issuer

DEFAULT_TITLE = {"vi": "CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC", "en": "CERTIFICATE OF COMPLETION"}
DEFAULT_STATEMENT = {"vi": "Đã hoàn thành khóa học", "en": "has completed the course"}
DEFAULT_PLACE = {"vi": "Hải Phòng", "en": "Hai Phong"}
STATUS_NOTES = {"revoked": "ĐÃ THU HỒI / REVOKED", "superseded": "ĐÃ ĐƯỢC THAY THẾ / SUPERSEDED"}


def verify_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("certificates.verify", code=code)
    if base:
        return str(base).rstrip("/") + path
    return request.host_url.rstrip("/") + path


def _text(block: dict, key: str, lang: str, default: dict[str, str]) -> str:
    value = (block or {}).get(key) or {}
    return str(value.get(lang) or value.get("vi") or default[lang])


@lru_cache(maxsize=4)
def _signature(path: str | None) -> bytes | None:
    return Path(path).read_bytes() if path else None


def certificate_pdf(certificate: Certificate) -> bytes:
    _, course = get_holder_and_course(certificate)
    block = course.certificate or {}
    title = certificate.course_title or {}
    signatory_title = block.get("signatory_title") or {}
    document = CertificateDocument(
        code=certificate.code, holder_name=certificate.holder_name,
        holder_unit=certificate.holder_unit,
        course_title_vi=title.get("vi", ""), course_title_en=title.get("en") or title.get("vi", ""),
        hours=certificate.hours, issued_on=certificate.issued_at.date(), score=certificate.score,
        issuer_vi=issuer(block, "vi"), issuer_en=issuer(block, "en"),
        place_vi=_text(block, "place", "vi", DEFAULT_PLACE),
        place_en=_text(block, "place", "en", DEFAULT_PLACE),
        certificate_title_vi=_text(block, "title", "vi", DEFAULT_TITLE),
        certificate_title_en=_text(block, "title", "en", DEFAULT_TITLE),
        statement_vi=_text(block, "text", "vi", DEFAULT_STATEMENT),
        statement_en=_text(block, "text", "en", DEFAULT_STATEMENT),
        verify_url=verify_url(certificate.code),
        signatory_name=current_app.config.get("CERTIFICATE_SIGNATORY_NAME")
        or block.get("signatory_name"),
        signatory_title_vi=signatory_title.get("vi"), signatory_title_en=signatory_title.get("en"),
        signature_image=_signature(current_app.config.get("CERTIFICATE_SIGNATURE_IMAGE")),
        status_note=STATUS_NOTES.get(certificate.status),
    )
    return render_certificate_pdf(document)
