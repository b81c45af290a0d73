"""Languages: Vietnamese by default, English selectable and remembered per user."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import flask_babel
from babel import numbers as babel_numbers
from flask import Flask, current_app, g, session
from flask_babel import format_date, format_datetime
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from .content.import_messages import N_
from .extensions import babel

QUESTION_TYPE_NAMES = {
    "single": N_("Single choice"), "multiple": N_("Multiple choice"),
    "true_false": N_("True or false"), "short": N_("Short answer"), "numeric": N_("Numeric"),
    "matching": N_("Matching"), "ordering": N_("Ordering"), "essay": N_("Essay"),
}

TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    supported = current_app.config["LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in supported:
        return str(chosen)
    return str(current_app.config["DEFAULT_LOCALE"])


def _request_translations() -> tuple[str, Any]:
    """The current language and its catalog, looked up once per request (and again when
    force_locale or refresh changes the language). Flask-Babel resolves its context through a
    dozen proxy lookups on every string: on a lesson page that was a tenth of the request."""
    try:  # cheaper than has_app_context() first: this runs for every string of a page
        state = g._get_current_object().__dict__  # type: ignore[attr-defined]
    except RuntimeError:  # outside any app context
        return str(flask_babel.get_locale() or "vi"), flask_babel.get_translations()
    # Where Flask-Babel 4 keeps the request's locale (force_locale and refresh replace it).
    locale = getattr(state.get("_flask_babel"), "babel_locale", None)
    cached = state.get("course_app_translations")
    if locale is None or cached is None or cached[0] is not locale:
        translations = flask_babel.get_translations()
        locale = flask_babel.get_locale()
        cached = (locale, str(locale or "vi"), translations)
        state["course_app_translations"] = cached
    return cached[1], cached[2]


def current_language() -> str:
    return _request_translations()[0]


def tr(text: Any, locale: str | None = None) -> str:
    """Pick the current language's version of a translatable content text ({vi, en})."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = locale or current_language()
    return str(text.get(lang) or text.get("vi") or "")


def translated(message: str, **values: Any) -> str:
    """`message` in the current language, filled with `values`: for template globals called
    inside loops, where Jinja's `_()` derives a context and formats Markup on every call (a
    fifth of an attempt page's time went to two labels per question)."""
    return str(_request_translations()[1].ugettext(message) % values)


def question_heading(number: int) -> str:
    return translated(N_("Question %(n)s"), n=number)


def points_label(points: float) -> str:
    return translated(N_("%(points)s point(s)"), points=number(points))


def question_type_name(kind: str) -> str:
    """The name of a question type for people ("Single choice"), not its code."""
    name = QUESTION_TYPE_NAMES.get(kind)
    return translated(name) if name else kind


def _install_fast_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _request_translations()[1].ugettext(s),
        ngettext=lambda s, p, n: _request_translations()[1].ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _request_translations()[1].upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations()[1].unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = _template_gettext


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, message: str, /, **values: Any) -> str:
    """`_()` in templates, as Jinja's newstyle gettext does it (the translation is safe HTML when
    autoescaping, the values are escaped and put in with %, "%%" prints "%"), but called
    directly: Jinja's alias resolves and calls gettext through the context, two more calls for
    each of the 20-odd strings of every page (a twentieth of a lesson page)."""
    text = _request_translations()[1].ugettext(message)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalog, as Jinja's gettext trusts it
    return text % values


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
    lang = current_language().split("_")[0]
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


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str, language: str) -> str:
    # Babel parses the pattern on every call (~50 µs): an attempt page prints 20 point values.
    return babel_numbers.format_decimal(value, format=pattern, locale=language)


def number(value: float | None, digits: int = 2) -> str:
    """12.5 → "12,5" in Vietnamese, "12.5" in English; at most `digits` decimals."""
    if value is None:
        return "–"
    return _decimal(round(value, digits), "#,##0." + "#" * digits, current_language())


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return _decimal(round(value, 1), "#,##0.#", current_language()) + "%"


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
    _install_fast_gettext(app)
    # Templates only print the language code (<html lang>, the switcher): the cached string.
    app.jinja_env.globals.update(get_locale=current_language, tr=tr,
                                 question_heading=question_heading, points_label=points_label,
                                 question_type_name=question_type_name)
    app.jinja_env.filters.update(localdt=local_datetime, localdate=local_date, number=number,
                                 percent=percent)
