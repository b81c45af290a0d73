"""Bilingual (Vietnamese / English) completion certificate as a one-page A4 landscape PDF.

Pure rendering code: no Flask, no database. Everything the page shows comes in a
``CertificateDocument``; ``render_certificate_pdf`` returns the PDF bytes.

Text is set in Noto Serif / Noto Sans, subset to Latin + Vietnamese and shipped in
``course_app/fonts`` (see ``scripts/subset_fonts.sh``), so no system font is needed.
Every text field is NFC-normalised (decomposed input would render with colliding marks).
Long names, titles and URLs are shrunk and/or wrapped to fit their box, never overflow.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align

__all__ = [
    "CertificateDocument",
    "english_date",
    "render_certificate_pdf",
    "vietnamese_date",
]

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# (family, style) -> file. The font files are parsed per document: fpdf2 subsets its
# fontTools object in place when it writes the PDF, so a parsed font cannot be shared.
_FONT_FILES: dict[tuple[str, str], Path] = {
    ("NotoSans", ""): FONT_DIR / "NotoSans-Regular.ttf",
    ("NotoSans", "B"): FONT_DIR / "NotoSans-Bold.ttf",
    ("NotoSerif", ""): FONT_DIR / "NotoSerif-Regular.ttf",
    ("NotoSerif", "B"): FONT_DIR / "NotoSerif-Bold.ttf",
    ("NotoSerif", "I"): FONT_DIR / "NotoSerif-Italic.ttf",
}

# (family, style) -> {character: advance width in mm per point of font size}
_CHAR_WIDTHS: dict[tuple[str, str], dict[str, float]] = {}

SANS = "NotoSans"
SERIF = "NotoSerif"

PAGE_W = 297.0  # A4 landscape, millimetres
PAGE_H = 210.0
MM_PER_PT = 25.4 / 72

INK = (27, 48, 79)  # deep navy: main text and outer border
ACCENT = (158, 124, 56)  # muted gold: inner border and rules
GREY = (96, 100, 108)  # English (secondary) lines
RED = (180, 28, 36)  # status note (e.g. revoked)

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _nfc(text: str) -> str:
    """NFC-normalise, drop control characters and collapse whitespace to single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class CertificateDocument:
    code: str
    holder_name: str
    holder_unit: str | None
    course_title_vi: str
    course_title_en: str
    hours: float | None
    issued_on: date
    score: float | None  # percent
    issuer_vi: str
    issuer_en: str
    place_vi: str
    place_en: str
    certificate_title_vi: str
    certificate_title_en: str
    statement_vi: str
    statement_en: str
    verify_url: str  # absolute URL; the QR code encodes exactly this
    signatory_name: str | None = None
    signatory_title_vi: str | None = None
    signatory_title_en: str | None = None
    signature_image: bytes | None = None  # optional PNG
    status_note: str | None = None  # e.g. "ĐÃ THU HỒI / REVOKED"
    valid_until: date | None = None  # printed with the details when the certificate expires

    def __post_init__(self) -> None:
        # All text is NFC from here on: input may arrive decomposed (NFD).
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, _nfc(value))


def vietnamese_date(d: date, place: str) -> str:
    """``"Hải Phòng, ngày 22 tháng 8 năm 2024"`` (day and month without leading zeros)."""
    text = f"ngày {d.day} tháng {d.month} năm {d.year}"
    place = _nfc(place or "")
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def english_date(d: date, place: str) -> str:
    """``"Hai Phong, 22 August 2024"``."""
    text = f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"
    place = _nfc(place or "")
    return f"{place}, {text}" if place else text


def _number(value: float, decimal_sep: str) -> str:
    """One decimal at most, no trailing ",0": 92.5 -> "92,5" (vi) / "92.5" (en); 24.0 -> "24"."""
    rounded = Decimal(str(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{rounded:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        text = "0"
    return text.replace(".", decimal_sep)


def _details(doc: CertificateDocument) -> tuple[str, str]:
    """The hours / score / validity lines, in Vietnamese and in English ("" when none)."""
    vi: list[str] = []
    en: list[str] = []
    if doc.hours is not None and math.isfinite(doc.hours):
        vi.append(f"Thời lượng: {_number(doc.hours, ',')} giờ")
        hours_en = _number(doc.hours, ".")
        en.append(f"Duration: {hours_en} {'hour' if hours_en == '1' else 'hours'}")
    if doc.score is not None and math.isfinite(doc.score):
        vi.append(f"Kết quả: {_number(doc.score, ',')}%")
        en.append(f"Score: {_number(doc.score, '.')}%")
    if doc.valid_until is not None:
        until = doc.valid_until
        vi.append(f"Có giá trị đến ngày {until.day} tháng {until.month} năm {until.year}")
        en.append(f"Valid until {english_date(until, '')}")
    sep = "   ·   "
    return sep.join(vi), sep.join(en)


# --------------------------------------------------------------------------- layout helpers


@dataclass(frozen=True)
class _Font:
    family: str
    style: str
    size: float  # points
    color: tuple[int, int, int] = INK

    def sized(self, size: float) -> _Font:
        return _Font(self.family, self.style, size, self.color)

    @property
    def line_height(self) -> float:  # millimetres
        return self.size * MM_PER_PT * 1.28


@dataclass(frozen=True)
class _Block:
    """Lines of one font, centred on the page, with a gap (mm) above them."""

    lines: tuple[str, ...]
    font: _Font
    gap: float = 0.0

    @property
    def height(self) -> float:
        return self.gap + len(self.lines) * self.font.line_height


@dataclass(frozen=True)
class _Run:
    text: str
    font: _Font


@dataclass(frozen=True)
class _Inline:
    """Runs of different fonts on one centred line (e.g. "Chứng nhận / This is to certify that")."""

    runs: tuple[_Run, ...]

    @property
    def height(self) -> float:
        return max(r.font.line_height for r in self.runs)


@dataclass(frozen=True)
class _Gap:
    height: float


_Item = _Block | _Inline | _Gap


class _Certificate(FPDF):
    def use(self, font: _Font) -> None:
        # Register a face on first use only: every registered face is parsed, subset and
        # embedded, which is most of the rendering time.
        key = f"{font.family.lower()}{font.style}"
        if key not in self.fonts:
            self.add_font(font.family, font.style, _FONT_FILES[(font.family, font.style)])
            # Subsetting keeps outlines as they are: without this, fontTools unpacks and
            # re-encodes every embedded glyph to recompute bounding boxes that cannot have
            # changed (a third of the rendering time).
            self.fonts[key].ttfont.recalcBBoxes = False
        self.set_font(font.family, font.style, font.size)
        self.set_text_color(*font.color)

    def width_of(self, text: str, font: _Font) -> float:
        """Width of ``text`` in mm: the sum of its characters' advance widths.

        fpdf2 sets text without shaping or kerning, so widths add up; per-character widths
        (mm per point of font size) are cached per face for the whole process.
        """
        table = _CHAR_WIDTHS.setdefault((font.family, font.style), {})
        missing = set(text).difference(table)
        if missing:
            self.use(font.sized(100))
            for ch in missing:
                table[ch] = self.get_string_width(ch) / 100
            self.use(font)
        return sum(table[ch] for ch in text) * font.size

    def wrap(self, text: str, font: _Font, width: float) -> list[str]:
        """Greedy word-wrap into lines no wider than ``width`` mm (overlong words are split)."""
        space = self.width_of(" ", font)
        lines: list[str] = []
        line, line_w = "", 0.0
        for word in text.split(" "):
            word_w = self.width_of(word, font)
            if word_w > width:  # e.g. a URL: break it between characters
                if line:
                    lines.append(line)
                line, line_w = "", 0.0
                for ch in word:
                    ch_w = self.width_of(ch, font)
                    if line and line_w + ch_w > width:
                        lines.append(line)
                        line, line_w = "", 0.0
                    line, line_w = line + ch, line_w + ch_w
            elif not line:
                line, line_w = word, word_w
            elif line_w + space + word_w <= width:
                line, line_w = f"{line} {word}", line_w + space + word_w
            else:
                lines.append(line)
                line, line_w = word, word_w
        if line:
            lines.append(line)
        return lines

    def fit(
        self,
        text: str,
        font: _Font,
        width: float,
        *,
        single_min: float,
        max_lines: int = 1,
        multi_min: float | None = None,
    ) -> tuple[_Font, list[str]]:
        """Largest font size (down to a floor) at which ``text`` fits the box.

        One line is preferred: shrink from ``font.size`` to ``single_min`` first; then wrap
        to at most ``max_lines`` lines, shrinking down to ``multi_min``. If even that fails,
        the last line is cut with an ellipsis (a defensive fallback for absurd input).
        """
        if not text:
            return font, []
        full = self.width_of(text, font)
        if full <= width:
            return font, [text]
        size = math.floor(font.size * width / full * 2) / 2  # widths scale with the size
        if size >= single_min and self.width_of(text, font.sized(size)) <= width:
            return font.sized(size), [text]
        floor = multi_min if multi_min is not None else single_min
        size = font.size
        lines: list[str] = []
        f = font
        while size >= floor - 1e-9:
            f = font.sized(size)
            lines = self.wrap(text, f, width)
            if len(lines) <= max_lines:
                return f, lines
            size -= 0.5
        lines = lines[:max_lines]
        lines[-1] = self.ellipsize(lines[-1] + "…", f, width)
        return f, lines

    def ellipsize(self, text: str, font: _Font, width: float) -> str:
        while len(text) > 1 and self.width_of(text, font) > width:
            text = text[:-2].rstrip() + "…"
        return text

    def draw_lines(self, lines: Sequence[str], font: _Font, x: float, y: float, w: float) -> float:
        """Draw centred lines in the column [x, x + w]; return the y below them."""
        self.use(font)
        for line in lines:
            self.set_xy(x, y)
            self.cell(w, font.line_height, line, align=Align.C)
            y += font.line_height
        return y

    def runs_width(self, runs: Sequence[_Run]) -> float:
        return sum(self.width_of(run.text, run.font) for run in runs)

    def draw_runs(self, runs: Sequence[_Run], cx: float, y: float) -> float:
        """Draw mixed-font runs on one line centred on ``cx`` (aligned on a common baseline)."""
        line_h = max(r.font.line_height for r in runs)
        ascent = max(r.font.size for r in runs) * MM_PER_PT * 0.8
        x = cx - self.runs_width(runs) / 2
        for run in runs:
            self.use(run.font)
            self.text(x, y + (line_h - ascent) / 2 + ascent * 0.9, run.text)
            x += self.width_of(run.text, run.font)
        return y + line_h


# ----------------------------------------------------------------------------- the page

MARGIN_OUTER = 8.0
MARGIN_INNER = 11.5
CONTENT_X = 30.0
CONTENT_W = PAGE_W - 2 * CONTENT_X
MIDDLE_BOTTOM = 142.0  # the body must end above the QR / signature band
BAND_TOP = 146.0
BAND_BOTTOM = PAGE_H - MARGIN_INNER - 4.0
QR_X = 24.0
QR_SIZE = 31.0
SIGN_W = 104.0
SIGN_X = PAGE_W - 24.0 - SIGN_W


def _bilingual_inline(
    pdf: _Certificate, vi: str, en: str, vi_font: _Font, en_font: _Font, width: float
) -> list[_Item]:
    """``vi / en`` on one line when it fits, else stacked lines (vi, then en)."""
    if vi and en:
        sep = _Run("  /  ", vi_font.sized(vi_font.size * 0.9))
        runs = (_Run(vi, vi_font), sep, _Run(en, en_font))
    else:
        runs = (_Run(vi or en, vi_font if vi else en_font),)
    if pdf.runs_width(runs) <= width:
        return [_Inline(runs)]
    f_vi, l_vi = pdf.fit(vi, vi_font, width, single_min=8, max_lines=2)
    f_en, l_en = pdf.fit(en, en_font, width, single_min=7, max_lines=2)
    return [_Block(tuple(l_vi), f_vi), _Block(tuple(l_en), f_en)]


def _body(pdf: _Certificate, doc: CertificateDocument, scale: float) -> list[_Item]:
    """The centred body (certify line, holder, unit, statement, course, details)."""
    s = scale
    w = CONTENT_W
    en = _Font(SERIF, "I", 11 * s, GREY)
    items: list[_Item] = []

    items += _bilingual_inline(
        pdf, "Chứng nhận", "This is to certify that", _Font(SANS, "", 12 * s), en, w
    )

    f, lines = pdf.fit(
        doc.holder_name,
        _Font(SERIF, "B", 30 * s),
        w,
        single_min=20 * s,
        max_lines=2,
        multi_min=16 * s,
    )
    items.append(_Block(tuple(lines), f, gap=2.5 * s))

    if doc.holder_unit:
        f, lines = pdf.fit(
            doc.holder_unit, _Font(SANS, "", 12 * s, INK), w, single_min=9 * s, max_lines=2
        )
        items.append(_Block(tuple(lines), f, gap=0.5 * s))

    items.append(_Gap(5.0 * s))
    items += _bilingual_inline(
        pdf, doc.statement_vi, doc.statement_en, _Font(SANS, "", 12 * s), en, w
    )

    f, lines = pdf.fit(
        doc.course_title_vi,
        _Font(SERIF, "B", 19 * s),
        w,
        single_min=15 * s,
        max_lines=3,
        multi_min=11 * s,
    )
    items.append(_Block(tuple(lines), f, gap=2.0 * s))
    f, lines = pdf.fit(
        doc.course_title_en,
        _Font(SERIF, "I", 13.5 * s, GREY),
        w,
        single_min=11 * s,
        max_lines=3,
        multi_min=8.5 * s,
    )
    items.append(_Block(tuple(lines), f, gap=0.5 * s))

    details_vi, details_en = _details(doc)
    if details_vi:
        f, lines = pdf.fit(details_vi, _Font(SANS, "", 11 * s), w, single_min=8, max_lines=2)
        items.append(_Block(tuple(lines), f, gap=5.0 * s))
        f, lines = pdf.fit(details_en, _Font(SERIF, "I", 10 * s, GREY), w, single_min=7.5)
        items.append(_Block(tuple(lines), f, gap=0.3 * s))
    return items


def _draw_header(pdf: _Certificate, doc: CertificateDocument) -> float:
    """Issuer, certificate title (vi, then en); returns the y below it."""
    y = MARGIN_INNER + 6.5
    f, lines = pdf.fit(doc.issuer_vi, _Font(SERIF, "B", 12.5), CONTENT_W, single_min=8, max_lines=2)
    y = pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)
    f, lines = pdf.fit(
        doc.issuer_en, _Font(SERIF, "I", 10, GREY), CONTENT_W, single_min=7, max_lines=2
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
        _Font(SERIF, "B", 27),
        CONTENT_W,
        single_min=18,
        max_lines=2,
        multi_min=15,
    )
    y = pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)
    f, lines = pdf.fit(
        doc.certificate_title_en,
        _Font(SERIF, "I", 14, GREY),
        CONTENT_W,
        single_min=9,
        max_lines=2,
    )
    return pdf.draw_lines(lines, f, CONTENT_X, y, CONTENT_W)


def _draw_body(pdf: _Certificate, doc: CertificateDocument, top: float) -> None:
    avail = MIDDLE_BOTTOM - top
    scale = 1.0
    while True:
        items = _body(pdf, doc, scale)
        total = sum(item.height for item in items)
        if total <= avail or scale <= 0.6:
            break
        scale -= 0.05
    y = top + max(0.0, (avail - total) / 2)
    for item in items:
        if isinstance(item, _Block):
            y = pdf.draw_lines(item.lines, item.font, CONTENT_X, y + item.gap, CONTENT_W)
        elif isinstance(item, _Inline):
            y = pdf.draw_runs(item.runs, PAGE_W / 2, y)
        else:
            y += item.height


def _qr_png(url: str) -> io.BytesIO:
    qr = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=8, border=2)
    buf.seek(0)
    return buf


def _draw_verification(pdf: _Certificate, doc: CertificateDocument) -> None:
    """QR code bottom-left, with the code and the verification URL under it."""
    y = BAND_BOTTOM - QR_SIZE - 9.5
    pdf.image(_qr_png(doc.verify_url), x=QR_X, y=y, w=QR_SIZE, h=QR_SIZE)
    y += QR_SIZE + 0.8
    width = SIGN_X - QR_X - 8.0
    code_line = [
        _Run("Mã chứng nhận / ", _Font(SANS, "", 7.5, GREY)),
        _Run("Certificate code: ", _Font(SERIF, "I", 7.5, GREY)),
        _Run(doc.code, _Font(SANS, "", 7.5, INK)),
    ]
    url_line = [
        _Run("Xác minh tại / ", _Font(SANS, "", 7.5, GREY)),
        _Run("Verify at: ", _Font(SERIF, "I", 7.5, GREY)),
        _Run(doc.verify_url, _Font(SANS, "", 7.5, INK)),
    ]
    for runs in (code_line, url_line):
        y = _draw_left_runs(pdf, runs, QR_X + 1.5, y, width)


def _draw_left_runs(pdf: _Certificate, runs: list[_Run], x: float, y: float, width: float) -> float:
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


def _draw_signature(pdf: _Certificate, doc: CertificateDocument) -> None:
    """Date and place (vi, en), signatory title, signature, name: the right-hand block."""
    x, w = SIGN_X, SIGN_W
    y = BAND_TOP
    f, lines = pdf.fit(
        vietnamese_date(doc.issued_on, doc.place_vi),
        _Font(SERIF, "I", 11, INK),
        w,
        single_min=8,
        max_lines=2,
    )
    y = pdf.draw_lines(lines, f, x, y, w)
    f, lines = pdf.fit(
        english_date(doc.issued_on, doc.place_en),
        _Font(SERIF, "I", 9.5, GREY),
        w,
        single_min=7,
        max_lines=2,
    )
    y = pdf.draw_lines(lines, f, x, y, w)

    title_vi = doc.signatory_title_vi or doc.issuer_vi
    title_en = doc.signatory_title_en or (doc.issuer_en if not doc.signatory_title_vi else "")
    y += 1.5
    f, lines = pdf.fit(title_vi, _Font(SERIF, "B", 11), w, single_min=7.5, max_lines=2)
    y = pdf.draw_lines(lines, f, x, y, w)
    if title_en:
        f, lines = pdf.fit(title_en, _Font(SERIF, "I", 9.5, GREY), w, single_min=7, max_lines=2)
        y = pdf.draw_lines(lines, f, x, y, w)

    name_font = _Font(SERIF, "B", 13)
    name_y = BAND_BOTTOM - name_font.line_height
    if doc.signature_image:
        top = y + 1.0
        box_h = max(0.0, name_y - top - 1.0)
        if box_h > 4:
            box_w = min(w * 0.6, 60.0)
            try:
                pdf.image(
                    io.BytesIO(doc.signature_image),
                    x=x + (w - box_w) / 2,
                    y=top,
                    w=box_w,
                    h=box_h,
                    keep_aspect_ratio=True,
                )
            except Exception as exc:  # PIL raises several types for unreadable data
                raise ValueError("signature_image is not a readable PNG image") from exc
    if doc.signatory_name:
        f, lines = pdf.fit(doc.signatory_name, name_font, w, single_min=9)
        pdf.draw_lines(lines, f, x, name_y, w)


def _draw_status(pdf: _Certificate, note: str) -> None:
    """A status note (e.g. revoked): a red line at the top and a diagonal stamp."""
    f, lines = pdf.fit(note, _Font(SANS, "B", 10, RED), CONTENT_W, single_min=7)
    pdf.draw_lines(lines, f, CONTENT_X, MARGIN_INNER + 1.2, CONTENT_W)

    stamp_w = 200.0
    f, lines = pdf.fit(note, _Font(SANS, "B", 54, RED), stamp_w, single_min=20)
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


def _draw_frame(pdf: _Certificate) -> None:
    pdf.set_draw_color(*INK)
    pdf.set_line_width(1.1)
    pdf.rect(MARGIN_OUTER, MARGIN_OUTER, PAGE_W - 2 * MARGIN_OUTER, PAGE_H - 2 * MARGIN_OUTER)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.35)
    pdf.rect(MARGIN_INNER, MARGIN_INNER, PAGE_W - 2 * MARGIN_INNER, PAGE_H - 2 * MARGIN_INNER)


def render_certificate_pdf(doc: CertificateDocument) -> bytes:
    """Render ``doc`` as a one-page A4 landscape PDF and return its bytes."""
    pdf = _Certificate(orientation="L", unit="mm", format="A4")
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
        _draw_frame(pdf)
        header_bottom = _draw_header(pdf, doc)
        _draw_body(pdf, doc, header_bottom + 3.0)
        _draw_verification(pdf, doc)
        _draw_signature(pdf, doc)
        if doc.status_note:
            _draw_status(pdf, doc.status_note)
        return bytes(pdf.output())
    finally:
        _close_fonts(pdf)


def _close_fonts(pdf: FPDF) -> None:
    """fpdf2 opens each TTF lazily and never closes it; close them so no file handle leaks."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()
