"""Translatable text: a Vietnamese string, or a {vi, en} mapping (English optional)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_app.domain.text import nfc

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


class TextError(ValueError):
    """A value that is not acceptable translatable text; `path` is the offending key, if any."""

    def __init__(self, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _clean(value: Any, lang: str) -> str:
    if not isinstance(value, str):
        kind = type(value).__name__
        raise TextError(
            f"the {lang} text must be a string, not {kind} (put quotes around numbers and yes/no)",
            (lang,),
        )
    return nfc(value).strip()


def tr_text(value: Any) -> dict[str, str]:
    """Normalise translatable text to {"vi": ..., "en": ...} ("en" only when given), NFC, stripped.

    Raises TextError when the Vietnamese text is missing, empty or not a string, when English is
    not a string, or when the mapping has other keys.
    """
    if isinstance(value, str):
        mapping: Mapping[Any, Any] = {"vi": value}
    elif isinstance(value, Mapping):
        mapping = value
    else:
        raise TextError(
            "text must be a string or a {vi, en} mapping "
            f"(found {type(value).__name__}; put quotes around numbers and yes/no)"
        )
    unknown = sorted(str(k) for k in mapping if k not in LANGUAGES)
    if unknown:
        raise TextError(f"unknown language {unknown[0]!r} (use vi and en)", (unknown[0],))
    if mapping.get("vi") is None:
        raise TextError("the Vietnamese text (vi) is missing", ("vi",))
    vi = _clean(mapping["vi"], "vi")
    if not vi:
        raise TextError("the Vietnamese text (vi) is empty", ("vi",))
    result = {"vi": vi}
    if mapping.get("en") is not None:
        en = _clean(mapping["en"], "en")
        if en:
            result["en"] = en
    return result


def pick(text: Mapping[str, str] | str | None, locale: str | None) -> str:
    """The text in `locale` ("en", "en_US", "vi-VN"...), falling back to Vietnamese."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = (locale or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    return text.get(lang) or text.get(DEFAULT_LANGUAGE) or ""
