"""Unicode helpers for Vietnamese text: normalisation, folding and word counts."""

from __future__ import annotations

import unicodedata

_STROKE_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(s: str) -> str:
    """Return `s` in Unicode NFC (composed) form."""
    return unicodedata.normalize("NFC", s)


def collapse_whitespace(s: str) -> str:
    """NFC, strip, and turn every run of whitespace (NBSP, tabs, newlines too) into one space."""
    return " ".join(nfc(s).split())


def strip_marks(s: str) -> str:
    """Remove diacritics (combining marks) and map đ/Đ to d/D, keeping the letter case."""
    decomposed = unicodedata.normalize("NFD", s)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return nfc(bare.translate(_STROKE_D))


def fold(s: str) -> str:
    """Accent- and case-insensitive form: "Quảng bá" and "quang ba" fold to the same string."""
    return strip_marks(s).casefold()


def word_count(s: str) -> int:
    """Number of whitespace-separated words that contain at least one letter or digit."""
    return sum(1 for token in nfc(s).split() if any(ch.isalnum() for ch in token))
