"""The certificate as a PDF: a bilingual (Vietnamese / English) one-page A4 landscape page.

Pure rendering code: no Flask, no database. Everything the page shows comes in a
``CertificateDocument``; ``render_certificate_pdf`` returns the PDF bytes. The seams:
``document`` (the fields and their wording), ``page`` (geometry, colours), ``fonts`` (the
bundled faces), ``typeset`` (measuring and fitting text), ``layout`` (frame, header, body,
status stamp), ``band`` (QR code, verification line, signature) and ``render``."""

from .document import CertificateDocument, english_date, vietnamese_date
from .render import render_certificate_pdf

__all__ = [
    "CertificateDocument",
    "english_date",
    "render_certificate_pdf",
    "vietnamese_date",
]
