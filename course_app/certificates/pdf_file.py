"""Building the certificate's PDF from the certified fields, with a file cache.

The cache key is a hash of everything the page prints (status, QR URL, signature image…), so a
revoked, expired or reissued certificate, or a changed configuration, can never be served from
a stale file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app

from ..models import Certificate
from .issuers import signatory
from .pdf import CertificateDocument, render_certificate_pdf
from .service import get_holder_and_course, issuer_names, local_date, public_url, status_of

RENDER_VERSION = "3"  # bump when the layout changes: cached files are keyed on it
DEFAULT_TITLE = {"vi": "CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC", "en": "CERTIFICATE OF COMPLETION"}
DEFAULT_STATEMENT = {"vi": "Đã hoàn thành khóa học", "en": "has completed the course"}
DEFAULT_PLACE = {"vi": "Hải Phòng", "en": "Hai Phong"}
STATUS_NOTES = {
    "revoked": "ĐÃ THU HỒI / REVOKED",
    "superseded": "ĐÃ ĐƯỢC THAY THẾ / SUPERSEDED",
    "expired": "ĐÃ HẾT HIỆU LỰC / EXPIRED",
}


def verify_url(code: str) -> str:
    return public_url("certificates.verify", code=code)


def _text(block: dict, key: str, lang: str, default: dict[str, str]) -> str:
    value = (block or {}).get(key) or {}
    return str(value.get(lang) or value.get("vi") or default[lang])


@lru_cache(maxsize=4)
def _signature(path: str | None) -> bytes | None:
    return Path(path).read_bytes() if path else None


def _signatory(certificate: Certificate, block: dict) -> dict[str, Any]:
    """The signatory and images: the organisation's for its certificates, else the course
    file's (and the configured signature image)."""
    found = signatory(certificate)
    if found is not None:
        return {"signatory_name": found.name, "signatory_title_vi": found.title,
                "signatory_title_en": None, "signature_image": found.images.get("signature"),
                "seal_image": found.images.get("seal"), "logo_image": found.images.get("logo")}
    title = block.get("signatory_title") or {}
    return {"signatory_name": current_app.config.get("CERTIFICATE_SIGNATORY_NAME")
            or block.get("signatory_name"),
            "signatory_title_vi": title.get("vi"), "signatory_title_en": title.get("en"),
            "signature_image": _signature(current_app.config.get("CERTIFICATE_SIGNATURE_IMAGE"))}


def certificate_document(certificate: Certificate) -> CertificateDocument:
    _, course = get_holder_and_course(certificate)
    block = course.certificate or {}
    title = certificate.course_title or {}
    issued_by = issuer_names(certificate)
    return CertificateDocument(
        code=certificate.code, holder_name=certificate.holder_name,
        holder_unit=certificate.holder_unit,
        course_title_vi=title.get("vi", ""), course_title_en=title.get("en") or title.get("vi", ""),
        hours=certificate.hours, issued_on=local_date(certificate.issued_at),
        score=certificate.score, issuer_vi=issued_by["vi"], issuer_en=issued_by["en"],
        place_vi=_text(block, "place", "vi", DEFAULT_PLACE),
        place_en=_text(block, "place", "en", DEFAULT_PLACE),
        certificate_title_vi=_text(block, "title", "vi", DEFAULT_TITLE),
        certificate_title_en=_text(block, "title", "en", DEFAULT_TITLE),
        statement_vi=_text(block, "text", "vi", DEFAULT_STATEMENT),
        statement_en=_text(block, "text", "en", DEFAULT_STATEMENT),
        verify_url=verify_url(certificate.code), **_signatory(certificate, block),
        status_note=STATUS_NOTES.get(status_of(certificate)),
        valid_until=local_date(certificate.expires_at) if certificate.expires_at else None,
        capstone_assessed=bool(certificate.capstone_assessed),
    )


def _cache_key(document: CertificateDocument) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, bytes):
            return hashlib.sha256(value).hexdigest()
        return value.isoformat() if hasattr(value, "isoformat") else value

    fields = {f.name: plain(getattr(document, f.name)) for f in dataclasses.fields(document)}
    payload = json.dumps([RENDER_VERSION, fields], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def cache_dir() -> Path:
    configured = current_app.config.get("CERTIFICATE_CACHE_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "cache", "certificates"))


def _store(folder: Path, name: str, data: bytes, code: str) -> None:
    """Write atomically (readers never see half a file), then drop the code's older files."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, folder / name)
    for old in folder.glob(f"{code}-*.pdf"):
        if old.name != name:
            old.unlink(missing_ok=True)


def certificate_pdf(certificate: Certificate) -> bytes:
    document = certificate_document(certificate)
    folder = cache_dir()
    name = f"{certificate.code}-{_cache_key(document)}.pdf"
    try:
        return (folder / name).read_bytes()
    except OSError:
        pass  # not rendered yet
    data = render_certificate_pdf(document)
    try:
        _store(folder, name, data, certificate.code)
    except OSError as error:  # a read-only instance folder: serve without caching
        current_app.logger.warning("certificate cache not writable: %s", error)
    return data
