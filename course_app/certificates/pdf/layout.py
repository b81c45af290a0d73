"""The certificate's layout: the frame, the header (issuer, title), the centred body (holder,
course, details), shrunk as a whole until it fits above the band, and the status stamp."""

from __future__ import annotations

from fpdf.enums import Align

from .document import CertificateDocument, details
from .fonts import SANS, SERIF, Font
from .page import (
    ACCENT,
    CONTENT_W,
    CONTENT_X,
    GREY,
    INK,
    MARGIN_INNER,
    MARGIN_OUTER,
    MIDDLE_BOTTOM,
    PAGE_H,
    PAGE_W,
    RED,
)
from .typeset import Block, Canvas, Gap, Inline, Item, Run


def bilingual_inline(
    pdf: Canvas, vi: str, en: str, vi_font: Font, en_font: Font, width: float
) -> list[Item]:
    """``vi / en`` on one line when it fits, else stacked lines (vi, then en)."""
    if vi and en:
        sep = Run("  /  ", vi_font.sized(vi_font.size * 0.9))
        runs = (Run(vi, vi_font), sep, Run(en, en_font))
    else:
        runs = (Run(vi or en, vi_font if vi else en_font),)
    if pdf.runs_width(runs) <= width:
        return [Inline(runs)]
    f_vi, l_vi = pdf.fit(vi, vi_font, width, single_min=8, max_lines=2)
    f_en, l_en = pdf.fit(en, en_font, width, single_min=7, max_lines=2)
    return [Block(tuple(l_vi), f_vi), Block(tuple(l_en), f_en)]


def body_items(pdf: Canvas, doc: CertificateDocument, scale: float) -> list[Item]:
    """The centred body (certify line, holder, unit, statement, course, details)."""
    s = scale
    w = CONTENT_W
    en = Font(SERIF, "I", 11 * s, GREY)
    items: list[Item] = []

    items += bilingual_inline(
        pdf, "Chứng nhận", "This is to certify that", Font(SANS, "", 12 * s), en, w
    )

    f, lines = pdf.fit(
        doc.holder_name,
        Font(SERIF, "B", 30 * s),
        w,
        single_min=20 * s,
        max_lines=2,
        multi_min=16 * s,
    )
    items.append(Block(tuple(lines), f, gap=2.5 * s))

    if doc.holder_unit:
        f, lines = pdf.fit(
            doc.holder_unit, Font(SANS, "", 12 * s, INK), w, single_min=9 * s, max_lines=2
        )
        items.append(Block(tuple(lines), f, gap=0.5 * s))

    items.append(Gap(5.0 * s))
    items += bilingual_inline(
        pdf, doc.statement_vi, doc.statement_en, Font(SANS, "", 12 * s), en, w
    )

    f, lines = pdf.fit(
        doc.course_title_vi,
        Font(SERIF, "B", 19 * s),
        w,
        single_min=15 * s,
        max_lines=3,
        multi_min=11 * s,
    )
    items.append(Block(tuple(lines), f, gap=2.0 * s))
    f, lines = pdf.fit(
        doc.course_title_en,
        Font(SERIF, "I", 13.5 * s, GREY),
        w,
        single_min=11 * s,
        max_lines=3,
        multi_min=8.5 * s,
    )
    items.append(Block(tuple(lines), f, gap=0.5 * s))

    details_vi, details_en = details(doc)
    if details_vi:
        f, lines = pdf.fit(details_vi, Font(SANS, "", 11 * s), w, single_min=8, max_lines=2)
        items.append(Block(tuple(lines), f, gap=5.0 * s))
        f, lines = pdf.fit(details_en, Font(SERIF, "I", 10 * s, GREY), w, single_min=7.5)
        items.append(Block(tuple(lines), f, gap=0.3 * s))
    return items


def draw_header(pdf: Canvas, doc: CertificateDocument) -> float:
    """Issuer, certificate title (vi, then en); returns the y below it."""
    y = MARGIN_INNER + 6.5
    f, lines = pdf.fit(doc.issuer_vi, Font(SERIF, "B", 12.5), CONTENT_W, single_min=8, max_lines=2)
    y = pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)
    f, lines = pdf.fit(
        doc.issuer_en, Font(SERIF, "I", 10, GREY), CONTENT_W, single_min=7, max_lines=2
    )
    y = pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)

    y += 3.0
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(PAGE_W / 2 - 22, y, PAGE_W / 2 + 22, y)
    pdf.set_fill_color(*ACCENT)
    cx = PAGE_W / 2
    pdf.polygon([(cx - 2.2, y), (cx, y - 1.5), (cx + 2.2, y), (cx, y + 1.5)], style="F")
    y += 4.0

    f, lines = pdf.fit(
        doc.certificate_title_vi,
        Font(SERIF, "B", 27),
        CONTENT_W,
        single_min=18,
        max_lines=2,
        multi_min=15,
    )
    y = pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)
    f, lines = pdf.fit(
        doc.certificate_title_en,
        Font(SERIF, "I", 14, GREY),
        CONTENT_W,
        single_min=9,
        max_lines=2,
    )
    return pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)


def draw_body(pdf: Canvas, doc: CertificateDocument, top: float) -> None:
    avail = MIDDLE_BOTTOM - top
    scale = 1.0
    while True:
        items = body_items(pdf, doc, scale)
        total = sum(item.height for item in items)
        if total <= avail or scale <= 0.6:
            break
        scale -= 0.05
    y = top + max(0.0, (avail - total) / 2)
    for item in items:
        if isinstance(item, Block):
            y = pdf.draw_lines(item.lines, item.font, CONTENT_X, y + item.gap, CONTENT_W)
        elif isinstance(item, Inline):
            y = pdf.draw_runs(item.runs, PAGE_W / 2, y)
        else:
            y += item.height


def draw_status(pdf: Canvas, note: str) -> None:
    """A status note (e.g. revoked): a red line at the top and a diagonal stamp."""
    f, lines = pdf.fit(note, Font(SANS, "B", 10, RED), CONTENT_W, single_min=7)
    pdf.draw_lines(lines, f, CONTENT_X, MARGIN_INNER + 1.2, CONTENT_W)

    stamp_w = 200.0
    f, lines = pdf.fit(note, Font(SANS, "B", 54, RED), stamp_w, single_min=20)
    cx, cy = PAGE_W / 2, PAGE_H / 2 + 5
    with (
        pdf.local_context(fill_opacity=0.22, stroke_opacity=0.35),
        pdf.rotation(angle=18, x=cx, y=cy),
    ):
        text_w = pdf.width_of(lines[0], f)
        pdf.use(f)
        box_w = text_w + 14
        box_h = f.line_height + 4
        pdf.set_draw_color(*RED)
        pdf.set_line_width(1.2)
        pdf.rect(cx - box_w / 2, cy - box_h / 2, box_w, box_h)
        pdf.set_xy(cx - box_w / 2, cy - f.line_height / 2)
        pdf.cell(box_w, f.line_height, lines[0], align=Align.C)


def draw_frame(pdf: Canvas) -> None:
    pdf.set_draw_color(*INK)
    pdf.set_line_width(1.1)
    pdf.rect(MARGIN_OUTER, MARGIN_OUTER, PAGE_W - 2 * MARGIN_OUTER, PAGE_H - 2 * MARGIN_OUTER)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.35)
    pdf.rect(MARGIN_INNER, MARGIN_INNER, PAGE_W - 2 * MARGIN_INNER, PAGE_H - 2 * MARGIN_INNER)
