"""Unicode helpers and translatable text."""

import unicodedata

import pytest

from course_app.domain.i18n_text import TextError, pick, tr_text
from course_app.domain.text import collapse_whitespace, fold, nfc, strip_marks, word_count


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = nfd("Quảng bá hình ảnh")
    assert decomposed != "Quảng bá hình ảnh"
    assert nfc(decomposed) == "Quảng bá hình ảnh"


def test_collapse_whitespace_handles_nbsp_tabs_newlines_and_nfd():
    assert collapse_whitespace("  Hải\u00a0\u00a0Phòng\t\n thành  phố ") == "Hải Phòng thành phố"
    assert collapse_whitespace(nfd("đối   ngoại")) == "đối ngoại"
    assert collapse_whitespace(" \u00a0\t") == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quảng bá", "quang ba"),
        ("quang ba", "quang ba"),
        ("đường", "duong"),
        ("ĐÀ NẴNG", "da nang"),
        ("Thông tin đối ngoại", "thong tin doi ngoai"),
        ("Straße", "strasse"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_fold_makes_vietnamese_spellings_equal():
    assert fold("Quảng bá") == fold("quang ba") == fold(nfd("QUẢNG BÁ"))


def test_strip_marks_keeps_case():
    assert strip_marks("Đà Nẵng") == "Da Nang"
    assert strip_marks(nfd("Ảnh")) == "Anh"


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 0), ("   ", 0), ("Xin chào  các bạn", 4), ("một - hai", 2), ("a\u00a0b\nc", 3),
     ("2024 là năm", 3), ("...", 0)],
)
def test_word_count(text, count):
    assert word_count(text) == count


def test_tr_text_from_string_and_mapping():
    assert tr_text("Xin chào") == {"vi": "Xin chào"}
    assert tr_text({"vi": "Xin chào", "en": "Hello"}) == {"vi": "Xin chào", "en": "Hello"}


def test_tr_text_normalises_to_nfc_and_strips():
    result = tr_text({"vi": nfd("  Hải Phòng \n"), "en": " Hai Phong "})
    assert result == {"vi": "Hải Phòng", "en": "Hai Phong"}
    assert unicodedata.is_normalized("NFC", result["vi"])


@pytest.mark.parametrize("en", [None, "", "   "])
def test_tr_text_drops_missing_english(en):
    assert tr_text({"vi": "Sai", "en": en}) == {"vi": "Sai"}


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"en": "Hello"}, ("vi",)),
        ({"vi": None, "en": "Hello"}, ("vi",)),
        ({"vi": "  "}, ("vi",)),
        ("", ("vi",)),
        ({"vi": 1945}, ("vi",)),
        ({"vi": "Có", "en": True}, ("en",)),
        ({"vi": "Có", "fr": "Oui"}, ("fr",)),
        (1945, ()),
        (None, ()),
        (["a"], ()),
    ],
)
def test_tr_text_rejects(value, path):
    with pytest.raises(TextError) as info:
        tr_text(value)
    assert info.value.path == path
    assert info.value.message


def test_tr_text_error_hints_at_quotes_for_numbers():
    with pytest.raises(TextError, match="quotes"):
        tr_text({"vi": 3.5})


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Hello"), ("en_US", "Hello"), ("en-GB", "Hello"), ("EN", "Hello"), ("vi", "Xin chào"),
     ("vi_VN", "Xin chào"), (None, "Xin chào"), ("fr", "Xin chào")],
)
def test_pick(locale, expected):
    assert pick({"vi": "Xin chào", "en": "Hello"}, locale) == expected


def test_pick_falls_back_to_vietnamese():
    assert pick({"vi": "Xin chào"}, "en") == "Xin chào"
    assert pick("Chỉ tiếng Việt", "en") == "Chỉ tiếng Việt"
    assert pick(None, "en") == ""
