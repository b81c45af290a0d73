"""Vietnamese name order, as class lists, registers and dictionaries sort people.

A person is listed by the given name (tên, the last word), then by the rest of the name (họ and
tên đệm, word by word). Words compare in the Vietnamese alphabet

    a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z)

(f, j, w, z, which only foreign names use, at their Latin places), so "Đức" comes after every
"D…" name ("Dũng", "Duy"). Tones are secondary: two words compare by their letters first, and
only words with the same letters compare by their tones, in the order ngang (none), huyền,
hỏi, ngã, sắc, nặng: "Ha" < "Hà" < "Hả" < "Hã" < "Há" < "Hạ" < "Hai". Case comes last.

The convention is the one of Vietnamese dictionaries (Hoàng Phê (ed.), Từ điển tiếng Việt,
Viện Ngôn ngữ học) and of the Unicode CLDR collation for Vietnamese (common/collation/vi.xml:
"&a<ă<<<Ă<â<<<Â &d<đ<<<Đ &e<ê<<<Ê &o<ô<<<Ô<ơ<<<Ơ &u<ư<<<Ư", tone marks secondary in the order
grave < hook above < tilde < acute < dot below). Pure: no Flask, no database."""

from __future__ import annotations

import functools
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Letters get weights above every code point, so digits and punctuation sort before them.
_LETTER_BASE = 0x110000
_WEIGHTS = {letter: _LETTER_BASE + index for index, letter in enumerate(ALPHABET)}

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone marks and their rank: ngang (no mark) 0, huyền 1, hỏi 2, ngã 3, sắc 4, nặng 5.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = {("a", _BREVE): "ă", ("a", _CIRCUMFLEX): "â", ("e", _CIRCUMFLEX): "ê",
                ("o", _CIRCUMFLEX): "ô", ("o", _HORN): "ơ", ("u", _HORN): "ư"}

WordKey = tuple[tuple[int, ...], tuple[int, ...]]


# Memoised pure functions (docs/performance.md, "Caching"): a cohort dashboard sorts 500 names
# on every view, from an alphabet of a few hundred letters and a few thousand distinct words
# (keys are tuples, immutable, so a shared one cannot be changed by its caller).
@functools.cache
def _letter(char: str) -> tuple[int, int]:
    """(primary weight, tone) of one character."""
    lower = char.lower()
    if lower == "đ":
        return _WEIGHTS["đ"], 0
    decomposed = unicodedata.normalize("NFD", lower)
    base, marks = decomposed[0], decomposed[1:]
    tone = next((TONES[mark] for mark in marks if mark in TONES), 0)
    for mark in marks:
        base = _VOWEL_MARKS.get((base, mark), base)
    return _WEIGHTS.get(base, ord(base)), tone


@functools.lru_cache(maxsize=8192)
def word_key(word: str) -> WordKey:
    """Letters first (the primary weights), then the tones of the same letters."""
    letters = [_letter(char) for char in word]
    return tuple(w for w, _tone in letters), tuple(t for _w, t in letters)


@functools.lru_cache(maxsize=8192)
def sort_key(full_name: str) -> tuple[WordKey, tuple[WordKey, ...], str]:
    """The key that puts names in Vietnamese list order: the given name (the last word), then
    the family and middle names, word by word; the name as written breaks the last ties
    (capitals, spacing) so the order is total."""
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return ((), ()), (), ""
    return word_key(words[-1]), tuple(word_key(w) for w in words[:-1]), " ".join(words)


def text_key(text: str) -> tuple[WordKey, ...]:
    """Vietnamese alphabetical order for any short text (a label), word by word."""
    return tuple(word_key(w) for w in unicodedata.normalize("NFC", text or "").split())


def sort_names(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)
