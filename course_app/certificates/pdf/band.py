"""The band under the body: the QR code with the certificate code and the verification URL
(bottom left), and the date, signatory and signature (bottom right)."""

from __future__ import annotations

import io

import segno

from .document import CertificateDocument, english_date, vietnamese_date
from .fonts import SANS, SERIF, Font
from .page import BAND_BOTTOM, BAND_TOP, GREY, INK, QR_SIZE, QR_X, SIGN_W, SIGN_X
from .typeset import Canvas, Run


def qr_png(url: str) -> io.BytesIO:
    qr = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=8, border=2)
    buf.seek(0)
    return buf


def draw_verification(pdf: Canvas, doc: CertificateDocument) -> None:
    """QR code bottom-left, with the code and the verification URL under it."""
    y = BAND_BOTTOM - QR_SIZE - 9.5
    pdf.image(qr_png(doc.verify_url), x=QR_X, y=y, w=QR_SIZE, h=QR_SIZE)
    y += QR_SIZE + 0.8
    width = SIGN_X - QR_X - 8.0
    code_line = [
        Run("Mã chứng nhận / ", Font(SANS, "", 7.5, GREY)),
        Run("Certificate code: ", Font(SERIF, "I", 7.5, GREY)),
        Run(doc.code, Font(SANS, "", 7.5, INK)),
    ]
    url_line = [
        Run("Xác minh tại / ", Font(SANS, "", 7.5, GREY)),
        Run("Verify at: ", Font(SERIF, "I", 7.5, GREY)),
        Run(doc.verify_url, Font(SANS, "", 7.5, INK)),
    ]
    for runs in (code_line, url_line):
        y = draw_left_runs(pdf, runs, QR_X + 1.5, y, width)


def draw_left_runs(pdf: Canvas, runs: list[Run], x: float, y: float, width: float) -> float:
    """Left-aligned label runs followed by a value; the value shrinks, then wraps (2 lines)."""
    label, value = runs[:-1], runs[-1]
    label_w = pdf.runs_width(label)
    font, lines = pdf.fit(value.text, value.font, width - label_w, single_min=6.0, max_lines=2)
    line_h = runs[0].font.line_height
    baseline = y + line_h * 0.78
    cursor = x
    for run in label:
        pdf.use(run.font)
        pdf.text(cursor, baseline, run.text)
        cursor += pdf.width_of(run.text, run.font)
    pdf.use(font)
    for line in lines:
        pdf.text(cursor, baseline, line)
        baseline += font.line_height
    return y + line_h + (len(lines) - 1) * font.line_height


def draw_signature(pdf: Canvas, doc: CertificateDocument) -> None:
    """Date and place (vi, en), signatory title, signature, name: the right-hand block."""
    x, w = SIGN_X, SIGN_W
    y = BAND_TOP
    f, lines = pdf.fit(
        vietnamese_date(doc.issued_on, doc.place_vi),
        Font(SERIF, "I", 11, INK),
        w,
        single_min=8,
        max_lines=2,
    )
    y = pdf.draw_lines(lines, f, x, y, w)
    f, lines = pdf.fit(
        english_date(doc.issued_on, doc.place_en),
        Font(SERIF, "I", 9.5, GREY),
        w,
        single_min=7,
        max_lines=2,
    )
    y = pdf.draw_lines(lines, f, x, y, w)

    title_vi = doc.signatory_title_vi or doc.issuer_vi
    title_en = doc.signatory_title_en or (doc.issuer_en if not doc.signatory_title_vi else "")
    y += 1.5
    f, lines = pdf.fit(title_vi, Font(SERIF, "B", 11), w, single_min=7.5, max_lines=2)
    y = pdf.draw_lines(lines, f, x, y, w)
    if title_en:
        f, lines = pdf.fit(title_en, Font(SERIF, "I", 9.5, GREY), w, single_min=7, max_lines=2)
        y = pdf.draw_lines(lines, f, x, y, w)

    name_font = Font(SERIF, "B", 13)
    name_y = BAND_BOTTOM - name_font.line_height
    top = y + 1.0
    box_h = max(0.0, name_y - top - 1.0)
    box_w = min(w * 0.6, 60.0)
    if doc.signature_image and box_h > 4:
        picture(pdf, doc.signature_image, x + (w - box_w) / 2, top, box_w, box_h, "signature_image")
    if doc.seal_image and box_h > 4:
        # As on paper: the seal is stamped over the left part of the signature.
        side = min(box_h + 4.0, 30.0)
        picture(pdf, doc.seal_image, x + (w - box_w) / 2 - side / 2, top + (box_h - side) / 2,
                side, side, "seal_image")
    if doc.signatory_name:
        f, lines = pdf.fit(doc.signatory_name, name_font, w, single_min=9)
        pdf.draw_lines(lines, f, x, name_y, w)


def picture(pdf: Canvas, data: bytes, x: float, y: float, w: float, h: float, what: str) -> None:
    """An image fitted into the box, keeping its proportions."""
    try:
        pdf.image(io.BytesIO(data), x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
    except Exception as exc:  # PIL raises several types for unreadable data
        raise ValueError(f"{what} is not a readable PNG or JPEG image") from exc
