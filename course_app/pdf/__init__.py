"""PDF output of course_app (pure rendering code: no Flask, no database)."""

from course_app.pdf.certificate import (
    CertificateDocument,
    english_date,
    render_certificate_pdf,
    vietnamese_date,
)

__all__ = [
    "CertificateDocument",
    "english_date",
    "render_certificate_pdf",
    "vietnamese_date",
]
