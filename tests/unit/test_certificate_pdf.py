"""The certificate PDF: real rendering, read back with pypdf / poppler, QR decoded with zbar."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from course_app.certificates.pdf import (
    CertificateDocument,
    english_date,
    render_certificate_pdf,
    vietnamese_date,
)

MM = 72 / 25.4  # points per millimetre
A4_LANDSCAPE = (297 * MM, 210 * MM)
FRAME_MM = 11.5  # the inner border: all text must stay inside it

CODE = "Xk3vQ9_pL2mN8rT4wY6zA1bC5dE7fG0hJ2k"
URL = f"https://hoc.example.gov.vn/chung-nhan/xac-minh/{CODE}"
NAME = "Nguyễn Thị Hằng"

LONG_NAME = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Huỳnh Lê Bảo Ngọc Trâm Anh"
LONG_TITLE = (
    "Bồi dưỡng kiến thức, kỹ năng quản lý nhà nước về chuyển đổi số, an toàn thông tin "
    "mạng và ứng dụng trí tuệ nhân tạo trong các cơ quan hành chính nhà nước cấp xã"
)


def make_doc(**overrides: object) -> CertificateDocument:
    fields: dict[str, object] = {
        "code": CODE,
        "holder_name": NAME,
        "holder_unit": "Phòng Văn hóa và Thông tin quận Lê Chân",
        "course_title_vi": "Kỹ năng số cho cán bộ, công chức cấp xã",
        "course_title_en": "Digital skills for commune-level officials",
        "hours": 24.0,
        "issued_on": date(2024, 8, 22),
        "score": 92.5,
        "issuer_vi": "Trường Chính trị Tô Hiệu Hải Phòng",
        "issuer_en": "To Hieu Political School, Hai Phong",
        "place_vi": "Hải Phòng",
        "place_en": "Hai Phong",
        "certificate_title_vi": "CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC",
        "certificate_title_en": "Certificate of Course Completion",
        "statement_vi": "Đã hoàn thành khóa học",
        "statement_en": "has successfully completed the course",
        "verify_url": URL,
        "signatory_name": "Trần Văn Đức",
        "signatory_title_vi": "HIỆU TRƯỞNG",
        "signatory_title_en": "Principal",
    }
    fields.update(overrides)
    return CertificateDocument(**fields)  # type: ignore[arg-type]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def pdf_text(data: bytes) -> str:
    """Text of the (single) page, NFC, with runs of whitespace collapsed to one space."""
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    return " ".join(unicodedata.normalize("NFC", text).split())


def poppler_text(data: bytes, tmp_path: Path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    pdf = tmp_path / "poppler.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return " ".join(unicodedata.normalize("NFC", out).split())


def png_signature() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 85), (290, 30)], fill="navy", width=5)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    # NFD input on purpose: the renderer must NFC-normalise everything.
    return render_certificate_pdf(
        make_doc(
            holder_name=nfd(NAME),
            place_vi=nfd("Hải Phòng"),
            course_title_vi=nfd("Kỹ năng số cho cán bộ, công chức cấp xã"),
            signature_image=png_signature(),
        )
    )


# ------------------------------------------------------------------------------- text


EXPECTED_TEXT = [
    NAME,
    "Phòng Văn hóa và Thông tin quận Lê Chân",
    "Kỹ năng số cho cán bộ, công chức cấp xã",
    "Digital skills for commune-level officials",
    CODE,
    URL,
    "Hải Phòng, ngày 22 tháng 8 năm 2024",
    "Hai Phong, 22 August 2024",
    "CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC",
    "Certificate of Course Completion",
    "Chứng nhận",
    "This is to certify that",
    "Đã hoàn thành khóa học",
    "Thời lượng: 24 giờ",
    "Duration: 24 hours",
    "Kết quả: 92,5%",
    "Score: 92.5%",
    "Trường Chính trị Tô Hiệu Hải Phòng",
    "HIỆU TRƯỞNG",
    "Trần Văn Đức",
    "Xác minh tại",
    "Verify at:",
]


def test_text_is_extractable_and_nfc(sample_pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(sample_pdf)
    for expected in EXPECTED_TEXT:
        assert expected in text, expected
    assert nfd(NAME) not in text
    assert "?" not in text  # no replacement characters
    assert "\ufffd" not in text

    poppler = poppler_text(sample_pdf, tmp_path)
    if poppler is not None:
        for expected in EXPECTED_TEXT:
            assert expected in poppler, expected
        assert "?" not in poppler


def test_nfd_and_nfc_input_give_the_same_pdf() -> None:
    composed = make_doc()
    decomposed = make_doc(
        holder_name=nfd(NAME),
        course_title_vi=nfd(composed.course_title_vi),
        issuer_vi=nfd(composed.issuer_vi),
        place_vi=nfd(composed.place_vi),
    )
    assert decomposed.holder_name == NAME  # normalised on construction
    assert render_certificate_pdf(decomposed) == render_certificate_pdf(composed)


def test_output_is_deterministic() -> None:
    doc = make_doc()
    assert render_certificate_pdf(doc) == render_certificate_pdf(doc)


def test_metadata(sample_pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta is not None
    assert NAME in (meta.title or "")
    assert meta.author == "Trường Chính trị Tô Hiệu Hải Phòng"
    assert meta.creation_date is not None
    assert meta.creation_date.date() == date(2024, 8, 22)


# ------------------------------------------------------------------------ page and fonts


def test_single_a4_landscape_page(sample_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_LANDSCAPE[0], abs=0.5)
    assert float(box.height) == pytest.approx(A4_LANDSCAPE[1], abs=0.5)


def test_fonts_are_embedded_noto(sample_pdf: bytes) -> None:
    page = PdfReader(io.BytesIO(sample_pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert len(fonts) >= 3
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] == "/Type0"
        assert "Noto" in font["/BaseFont"]
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program is in the file
        assert "/ToUnicode" in font  # so text can be copied and searched


def test_no_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    every_vietnamese_letter = (
        "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    )
    doc = make_doc(
        holder_name=every_vietnamese_letter[:60],
        holder_unit=every_vietnamese_letter.upper(),
        course_title_vi=every_vietnamese_letter[60:] + " – “₫ 1.000.000” …",
    )
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data = render_certificate_pdf(doc)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    assert every_vietnamese_letter.upper() in pdf_text(data)


# ---------------------------------------------------------------------------- QR code


needs_poppler_and_zbar = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="QR check needs pdftoppm (poppler-utils) and zbarimg (zbar-tools) on PATH",
)


def decode_qr(data: bytes, tmp_path: Path) -> str:
    (tmp_path / "cert.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "cert.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "page.png"], cwd=tmp_path, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8").strip()


@needs_poppler_and_zbar
def test_qr_code_decodes_to_the_verify_url(sample_pdf: bytes, tmp_path: Path) -> None:
    assert decode_qr(sample_pdf, tmp_path) == URL


@needs_poppler_and_zbar
def test_qr_code_with_a_long_url(tmp_path: Path) -> None:
    url = f"https://dao-tao.so-noi-vu.haiphong.gov.vn/chung-nhan/xac-minh/{CODE * 2}?lang=vi"
    assert decode_qr(render_certificate_pdf(make_doc(verify_url=url)), tmp_path) == url


# --------------------------------------------------------------------- long content


def word_boxes(data: bytes, tmp_path: Path) -> list[tuple[float, float, float, float, str]]:
    """Word bounding boxes (points, origin top-left) from `pdftotext -bbox`."""
    (tmp_path / "bbox.pdf").write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", "bbox.pdf", "-"], cwd=tmp_path, capture_output=True, check=True
    ).stdout.decode("utf-8")
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in pattern.findall(html)]


def text_origins(data: bytes) -> list[tuple[float, float, str]]:
    """Where each text run starts (points, origin bottom-left), from pypdf."""
    origins: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            origins.append((x, y, text))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return origins


def assert_inside_frame(data: bytes, tmp_path: Path) -> None:
    width, height = A4_LANDSCAPE
    inset = FRAME_MM * MM
    for x, y, text in text_origins(data):
        assert inset <= x <= width - inset, (x, text)
        assert inset <= y <= height - inset, (y, text)
    if shutil.which("pdftotext"):
        boxes = word_boxes(data, tmp_path)
        assert boxes
        for x0, y0, x1, y1, word in boxes:
            assert x0 >= inset - 0.5 and x1 <= width - inset + 0.5, (x0, x1, word)
            assert y0 >= inset - 0.5 and y1 <= height - inset + 0.5, (y0, y1, word)


def test_long_name_and_title_fit_inside_the_frame(tmp_path: Path) -> None:
    assert len(LONG_NAME) >= 60
    assert len(LONG_TITLE) >= 150
    long_en = (
        "Training on state management knowledge and skills for digital transformation, "
        "network information security and the use of artificial intelligence in public bodies"
    )
    doc = make_doc(
        holder_name=LONG_NAME,
        course_title_vi=LONG_TITLE,
        course_title_en=long_en,
        holder_unit="Ủy ban nhân dân phường Đằng Giang, quận Ngô Quyền, thành phố Hải Phòng",
        signature_image=png_signature(),
    )
    data = render_certificate_pdf(doc)
    text = pdf_text(data)
    # Shrunk or wrapped, but complete: nothing is cut off.
    assert LONG_NAME in text
    assert LONG_TITLE in text
    assert long_en in text
    assert_inside_frame(data, tmp_path)


def test_absurdly_long_fields_do_not_overflow(tmp_path: Path) -> None:
    doc = make_doc(
        holder_name="Hằng" * 60,  # 240 characters, no space to break at
        holder_unit="Phòng " * 80,
        course_title_vi=LONG_TITLE * 4,
        course_title_en="Course " * 120,
        issuer_vi="Trường Chính trị Tô Hiệu " * 10,
        certificate_title_vi="CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC " * 5,
        signatory_name="Trần Văn Đức " * 10,
        signatory_title_vi="HIỆU TRƯỞNG " * 12,
        verify_url=f"https://hoc.example.gov.vn/xac-minh/{'x' * 300}",
        code="C" * 200,
    )
    data = render_certificate_pdf(doc)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert_inside_frame(data, tmp_path)


def test_status_note_is_printed() -> None:
    text = pdf_text(render_certificate_pdf(make_doc(status_note="ĐÃ THU HỒI / REVOKED")))
    assert "ĐÃ THU HỒI / REVOKED" in text


# ------------------------------------------------------------------- optional fields


def test_optional_fields_can_be_missing() -> None:
    doc = make_doc(
        holder_unit=None,
        hours=None,
        score=None,
        signatory_name=None,
        signatory_title_vi=None,
        signatory_title_en=None,
    )
    text = pdf_text(render_certificate_pdf(doc))
    assert NAME in text
    assert "Thời lượng" not in text
    assert "Kết quả" not in text
    assert "Trường Chính trị Tô Hiệu Hải Phòng" in text


@pytest.mark.parametrize(
    ("hours", "score", "vi", "en"),
    [
        (1.0, 100.0, ["Thời lượng: 1 giờ", "Kết quả: 100%"], ["Duration: 1 hour", "Score: 100%"]),
        (1.5, 80.25, ["Thời lượng: 1,5 giờ", "Kết quả: 80,3%"], ["1.5 hours", "Score: 80.3%"]),
        (2.25, 92.04, ["Thời lượng: 2,3 giờ", "Kết quả: 92%"], ["2.3 hours", "Score: 92%"]),
        (None, 0.0, ["Kết quả: 0%"], ["Score: 0%"]),
        (40, None, ["Thời lượng: 40 giờ"], ["Duration: 40 hours"]),
    ],
)
def test_hours_and_score_formatting(
    hours: float | None, score: float | None, vi: list[str], en: list[str]
) -> None:
    text = pdf_text(render_certificate_pdf(make_doc(hours=hours, score=score)))
    for expected in vi + en:
        assert expected in text


def test_unreadable_signature_image_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="signature_image"):
        render_certificate_pdf(make_doc(signature_image=b"not a png"))


def test_document_is_immutable() -> None:
    doc = make_doc()
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.holder_name = "x"  # type: ignore[misc]


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 8, 22), "Hải Phòng, ngày 22 tháng 8 năm 2024"),
        (date(2024, 3, 5), "Hải Phòng, ngày 5 tháng 3 năm 2024"),
        (date(2025, 1, 1), "Hải Phòng, ngày 1 tháng 1 năm 2025"),
        (date(2023, 12, 31), "Hải Phòng, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_vietnamese_date(day: date, expected: str) -> None:
    assert vietnamese_date(day, "Hải Phòng") == expected


def test_vietnamese_date_normalises_the_place_and_handles_none() -> None:
    assert vietnamese_date(date(2024, 8, 22), nfd("Hải Phòng")) == (
        "Hải Phòng, ngày 22 tháng 8 năm 2024"
    )
    assert vietnamese_date(date(2024, 3, 5), "") == "Ngày 5 tháng 3 năm 2024"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 8, 22), "Hai Phong, 22 August 2024"),
        (date(2024, 3, 5), "Hai Phong, 5 March 2024"),
        (date(2025, 1, 1), "Hai Phong, 1 January 2025"),
        (date(2023, 12, 31), "Hai Phong, 31 December 2023"),
    ],
)
def test_english_date(day: date, expected: str) -> None:
    assert english_date(day, "Hai Phong") == expected


def test_english_date_month_names_do_not_depend_on_the_locale() -> None:
    months = [english_date(date(2024, m, 1), "").split()[1] for m in range(1, 13)]
    assert months == [
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
    ]
    assert english_date(date(2024, 8, 22), "") == "22 August 2024"
