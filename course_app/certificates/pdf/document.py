"""What a certificate page shows (``CertificateDocument``) and the bilingual wording of its
dates and details. Every text field is NFC-normalised: decomposed input would render with
colliding marks."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


def nfc(text: str) -> str:
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
    signature_image: bytes | None = None  # optional PNG or JPEG
    seal_image: bytes | None = None  # the organisation's seal, over the signature's left side
    logo_image: bytes | None = None  # the organisation's logo, top left
    status_note: str | None = None  # e.g. "ĐÃ THU HỒI / REVOKED"
    valid_until: date | None = None  # printed with the details when the certificate expires
    capstone_assessed: bool = False  # the course's capstone was graded passing (one line)

    def __post_init__(self) -> None:
        # All text is NFC from here on: input may arrive decomposed (NFD).
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, nfc(value))


def vietnamese_date(d: date, place: str) -> str:
    """``"Hải Phòng, ngày 22 tháng 8 năm 2024"`` (day and month without leading zeros)."""
    text = f"ngày {d.day} tháng {d.month} năm {d.year}"
    place = nfc(place or "")
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def english_date(d: date, place: str) -> str:
    """``"Hai Phong, 22 August 2024"``."""
    text = f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"
    place = nfc(place or "")
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


def details(doc: CertificateDocument) -> tuple[str, str]:
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
    if doc.capstone_assessed:
        vi.append("Bài tập cuối khóa: đã được chấm đạt")
        en.append("Capstone assignment: assessed and passed")
    if doc.valid_until is not None:
        until = doc.valid_until
        vi.append(f"Có giá trị đến ngày {until.day} tháng {until.month} năm {until.year}")
        en.append(f"Valid until {english_date(until, '')}")
    sep = "   ·   "
    return sep.join(vi), sep.join(en)
