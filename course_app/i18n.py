"""Languages: Vietnamese by default, English selectable and remembered per user."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import flask_babel
from flask import Flask, current_app, session
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user

from .extensions import babel

TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    supported = current_app.config["LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in supported:
        return str(chosen)
    return str(current_app.config["DEFAULT_LOCALE"])


def tr(text: Any, locale: str | None = None) -> str:
    """Pick the current language's version of a translatable content text ({vi, en})."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = locale or str(flask_babel.get_locale() or "vi")
    return str(text.get(lang) or text.get("vi") or "")


# Babel's CLDR patterns put the time before the date in Vietnamese ("11:57 26/11/26") and use
# two-digit years; offices write "26/11/2026 11:57" and "ngày 26 tháng 11 năm 2026".
DATETIME_PATTERNS = {
    "vi": {"short": "dd/MM/yyyy HH:mm", "medium": "dd/MM/yyyy HH:mm",
           "long": "HH:mm 'ngày' d 'tháng' M 'năm' y"},
    "en": {"short": "d MMM y, HH:mm", "medium": "d MMM y, HH:mm", "long": "d MMMM y, HH:mm"},
}
DATE_PATTERNS = {
    "vi": {"short": "dd/MM/yyyy", "medium": "dd/MM/yyyy", "long": "'ngày' d 'tháng' M 'năm' y"},
    "en": {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y"},
}


def _pattern(patterns: dict[str, dict[str, str]], fmt: str) -> str:
    lang = str(flask_babel.get_locale() or "vi").split("_")[0]
    return patterns.get(lang, {}).get(fmt, fmt)


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """Date and time in the app's time zone (Asia/Ho_Chi_Minh) and the reader's language."""
    return "" if value is None else format_datetime(value, _pattern(DATETIME_PATTERNS, fmt))


def local_date(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # the calendar day in the app's time zone, not in UTC
        return format_datetime(value, _pattern(DATE_PATTERNS, fmt))
    return format_date(value, _pattern(DATE_PATTERNS, fmt))


def number(value: float | None, digits: int = 2) -> str:
    """12.5 → "12,5" in Vietnamese, "12.5" in English; at most `digits` decimals."""
    if value is None:
        return "–"
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits)


def percent(value: float | None) -> str:
    return "–" if value is None else format_decimal(round(value, 1), format="#,##0.#") + "%"


def compile_catalogs_if_missing() -> None:
    """A fresh clone has .po files only; compile them so the first request shows Vietnamese."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:  # a read-only install: `make install` compiled them already
            continue


def init_app(app: Flask) -> None:
    compile_catalogs_if_missing()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=app.config["DEFAULT_LOCALE"],
        default_timezone=app.config["TIMEZONE"],
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.globals.update(get_locale=flask_babel.get_locale, tr=tr)
    app.jinja_env.filters.update(localdt=local_datetime, localdate=local_date, number=number,
                                 percent=percent)
