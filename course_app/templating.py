"""Template filters. Markup() is only ever applied to sanitiser output."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .content.markdown import render, render_inline, sanitise

ANSWER_ERRORS = {
    "unknown_choice": _l("This choice does not exist. Please choose again."),
    "unknown_item": _l("This answer does not belong to the question."),
    "bad_number": _l("Please enter a number, for example 12 or 3,5."),
    "too_long": _l("This answer is too long."),
    "bad_position": _l("Each position must be a number from the list."),
    "duplicate": _l("The same answer was given twice."),
    "unknown_question": _l("An answer was sent for a question that is not in this attempt."),
}


@lru_cache(maxsize=4096)
def _md(source: str) -> str:
    return render(source)


@lru_cache(maxsize=4096)
def _md_inline(source: str) -> str:
    return render_inline(source)


@lru_cache(maxsize=512)
def _clean(html: str) -> str:
    return sanitise(html)


def md_html(source: str | None) -> str:
    """Markdown rendered and sanitised, as a str: for the HTML widgets (widget_html.py)."""
    return _md(source or "")


def md_inline_html(source: str | None) -> str:
    return _md_inline(source or "")


def md(source: str | None) -> Markup:
    return Markup(_md(source or ""))  # noqa: S704 - sanitised by nh3


def md_inline(source: str | None) -> Markup:
    return Markup(_md_inline(source or ""))  # noqa: S704 - sanitised by nh3


def safe_html(html: str | None) -> Markup:
    return Markup(_clean(html or ""))  # noqa: S704 - sanitised by nh3


def answer_error(code: str) -> str:
    return str(ANSWER_ERRORS.get(code, ANSWER_ERRORS["unknown_item"]))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(md=md, md_inline=md_inline, safe_html=safe_html)
    app.jinja_env.globals["answer_error"] = answer_error
    from .learn.widgets import course_outline
    from .quiz.page_parts import kept_attempt_question
    from .quiz.widgets import answered_count, question_input  # use md above
    from .site_header import site_header

    app.jinja_env.globals.update(question_input=question_input,
                                 kept_attempt_question=kept_attempt_question,
                                 site_header=site_header,
                                 answered_count=answered_count, course_outline=course_outline)
