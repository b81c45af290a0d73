"""The Markdown template filters. Markup() is only ever applied to sanitiser output. Each
blueprint registers its own template globals and filters."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask
from markupsafe import Markup

from .content.markdown import plain_text, render, render_inline, sanitise, shorten


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
    """Markdown rendered and sanitised, as a str."""
    return _md(source or "")


def md_inline_html(source: str | None) -> str:
    return _md_inline(source or "")


def md(source: str | None) -> Markup:
    return Markup(_md(source or ""))  # noqa: S704 - sanitised by nh3


def md_inline(source: str | None) -> Markup:
    return Markup(_md_inline(source or ""))  # noqa: S704 - sanitised by nh3


def safe_html(html: str | None) -> Markup:
    return Markup(_clean(html or ""))  # noqa: S704 - sanitised by nh3


@lru_cache(maxsize=4096)
def excerpt(source: str | None, limit: int = 90) -> str:
    """Markdown as plain text, shortened (a question's text in a table); escaped by Jinja."""
    return shorten(plain_text(source or ""), limit)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(md=md, md_inline=md_inline, safe_html=safe_html,
                                 excerpt=excerpt)
