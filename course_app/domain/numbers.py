"""Numbers as people write them: a trainee's typed number read in their language.

Vietnamese writes "1.000,5" (a dot groups thousands, a comma marks decimals), English
"1,000.5"; both group with spaces too ("1 000"). A text is read first as the trainee's language
writes numbers and, when that fails, as the other language does ("3.5" typed in Vietnamese is
3.5: a dot there cannot group). When both read it and disagree ("1.000": 1000 in Vietnamese,
1 in English) it is ambiguous: it counts as the trainee's language reads it, and the page shows
it back unmistakably ("1 000"), with spaces for groups.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MARKS = {"vi": (",", "."), "en": (".", ",")}  # language -> (decimal mark, group mark)
SPACES = " \u00a0\u202f\u2009"  # space, no-break, narrow no-break, thin
SHOWN_GROUP = "\u202f"  # a narrow no-break space: never read as a decimal mark
MAX_LENGTH = 100
_EXPONENT = re.compile(r"[eE][+-]?[0-9]{1,4}")


@dataclass(frozen=True)
class Reading:
    """What a typed number says: its value (None: not a number), whether the other language
    would read it differently, and the number written back unmistakably ("1 000,5")."""

    value: float | None
    ambiguous: bool = False
    shown: str = ""


def _marks(language: str) -> tuple[str, str]:
    return MARKS.get(language.split("_")[0].split("-")[0], MARKS["vi"])


def _grouped(whole: str, group: str) -> str | None:
    """The digits of "1.000.000" (grouped by `group` or by spaces, one kind only), of "1000"
    ungrouped, or None."""
    if whole.isdigit() and whole.isascii():
        return whole
    for mark in (group, *SPACES):
        parts = whole.split(mark)
        if len(parts) > 1 and 1 <= len(parts[0]) <= 3 and all(
                p.isdigit() and p.isascii() for p in parts) and all(
                len(p) == 3 for p in parts[1:]):
            return "".join(parts)
    return None


def _parts(text: str, decimal: str, group: str) -> tuple[str, str, str, str] | None:
    """(sign, integer digits, decimal digits, exponent) as `decimal` and `group` write it."""
    sign = text[0] if text[:1] in "+-" else ""
    body = text[len(sign):]
    exponent = ""
    found = _EXPONENT.search(body)
    if found and found.end() == len(body):
        exponent, body = found.group(), body[:found.start()]
    whole, mark, fraction = body.partition(decimal)
    if mark and not (fraction.isdigit() and fraction.isascii()) and fraction != "":
        return None
    if not whole and not fraction:
        return None
    digits = _grouped(whole, group) if whole else "0"
    if digits is None or (exponent and digits != whole):
        return None
    return sign, digits, fraction, exponent


def _value(parts: tuple[str, str, str, str]) -> float | None:
    sign, digits, fraction, exponent = parts
    value = float(f"{sign}{digits}.{fraction or '0'}{exponent}")
    return value if math.isfinite(value) else None


def _shown(parts: tuple[str, str, str, str], decimal: str) -> str:
    sign, digits, fraction, exponent = parts
    digits, fraction = digits.lstrip("0") or "0", fraction.rstrip("0")
    groups = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    whole = SHOWN_GROUP.join([digits, *groups])
    return f"{'-' if sign == '-' else ''}{whole}{decimal + fraction if fraction else ''}{exponent}"


def read_number(text: str, language: str) -> Reading:
    """Read `text` as a trainee writing in `language` ("vi" or "en") means it."""
    text = text.strip().replace("\u2212", "-")
    if not text or len(text) > MAX_LENGTH:
        return Reading(None)
    decimal, group = _marks(language)
    own, other = _parts(text, decimal, group), _parts(text, group, decimal)
    own_value = _value(own) if own else None
    other_value = _value(other) if other else None
    if own_value is not None and own:
        return Reading(own_value, other_value is not None and other_value != own_value,
                       _shown(own, decimal))
    if other_value is not None and other:
        return Reading(other_value, False, _shown(other, decimal))
    return Reading(None)
