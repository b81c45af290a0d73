"""Markdown rendering for lessons and questions, sanitised with an allow-list on the way out.
Markdown renderers alone pass <img onerror>, <iframe> and javascript: links through."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
MEDIA_PREFIX = re.compile(r"^(\./)?media/")
# The longest text one lesson (or question) may hold, per language: five times the longest lesson
# of the shipped course (about 10,000 characters). Rendering costs grow faster than the size on
# hostile input (50,000 "[" take about 0.8 s, 200,000 about 12 s), so the cap is a work limit.
MAX_SOURCE_CHARS = 50_000


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _media_rewriter(media_base: str | None):  # type: ignore[no-untyped-def]
    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            if MEDIA_PREFIX.match(value) and media_base:
                return media_base.rstrip("/") + "/" + MEDIA_PREFIX.sub("", value)
            if not value.startswith("/") or value.startswith(("//", "/\\")):
                return None  # no images from other hosts, protocol-relative ones included
        return value

    return rewrite


def render(source: str, media_base: str | None = None) -> str:
    """Markdown to safe HTML. Relative `media/…` images point at media_base."""
    html = _parser().render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_media_rewriter(media_base),
    )


def image_references(source: str) -> list[tuple[str, str]]:
    """(src, alt) of every Markdown image in source, to check them before loading."""
    found: list[tuple[str, str]] = []
    for token in _parser().parse(source or ""):
        for child in token.children or []:
            if child.type == "image":
                found.append((str(child.attrGet("src") or ""), child.content))
    return found


def render_inline(source: str) -> str:
    """One line of Markdown (a choice, an item) without a wrapping paragraph."""
    return nh3.clean(_parser().renderInline(source or ""), tags=ALLOWED_TAGS - {"img"},
                     attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


def sanitise(html: str) -> str:
    """Clean stored HTML once more on the way out (defence in depth)."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow",
                     attribute_filter=_media_rewriter(None))


def plain_text(source: str) -> str:
    """The words of some Markdown without its markup, on one line (for a short excerpt)."""
    text = nh3.clean(_parser().render(source or ""), tags=set())
    return " ".join(html.unescape(text).split())


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with "…" when something was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"
