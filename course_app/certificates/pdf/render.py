"""``render_certificate_pdf``: a ``CertificateDocument`` as a one-page A4 landscape PDF."""

from __future__ import annotations

from datetime import UTC, datetime

from .band import draw_signature, draw_verification, picture
from .document import CertificateDocument
from .fonts import close_fonts
from .layout import draw_body, draw_frame, draw_header, draw_status
from .page import LOGO_SIZE, LOGO_X
from .typeset import Canvas


def render_certificate_pdf(doc: CertificateDocument) -> bytes:
    """Render ``doc`` as a one-page A4 landscape PDF and return its bytes."""
    pdf = Canvas(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    issued = doc.issued_on
    pdf.set_creation_date(datetime(issued.year, issued.month, issued.day, tzinfo=UTC))
    pdf.set_title(f"{doc.certificate_title_vi} – {doc.holder_name}")
    pdf.set_subject(f"{doc.course_title_vi} / {doc.course_title_en}")
    pdf.set_author(doc.issuer_vi)
    pdf.set_keywords(doc.code)
    pdf.set_creator("course_app")
    pdf.set_lang("vi")
    pdf.add_page()
    try:
        draw_frame(pdf)
        if doc.logo_image:  # top left, between the frame and the centred header
            picture(pdf, doc.logo_image, LOGO_X, LOGO_X, LOGO_SIZE, LOGO_SIZE, "logo_image")
        header_bottom = draw_header(pdf, doc)
        draw_body(pdf, doc, header_bottom + 3.0)
        draw_verification(pdf, doc)
        draw_signature(pdf, doc)
        if doc.status_note:
            draw_status(pdf, doc.status_note)
        return bytes(pdf.output())
    finally:
        close_fonts(pdf)
