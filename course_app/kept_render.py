"""HTML kept per process, for HTML that costs far more to make than its inputs cost to read: the
site header (once per kind of page), the cohort dashboard's charts and trainee table (once per
state of the cohort's data), the course outline (once per state of a trainee's progress).

The caller names everything the HTML depends on in the key; the HTML itself is made as ever (an
ordinary `render_template` with autoescaping, or a widget that escapes every value), so kept
HTML is exactly what a fresh one would be.
Debug mode renders every time (templates may change under a running server)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup

from .app_state import Lru, per_app

ENTRIES = 256  # renders kept per process and app, least recently used dropped first
_EXTENSION = "course_app.kept_renders"


Context = Callable[[], Mapping[str, Any]]


def kept(key: Hashable, make: Callable[[], str]) -> str:
    """What `make()` returns, kept under `key`: the HTML of a template or of a widget
    (learn/widgets.py), which the caller has escaped as always."""
    if current_app.debug:
        return make()
    store: Lru[str] = per_app(_EXTENSION, Lru)
    return store.get_or_make(key, make, ENTRIES)


def kept_html(key: Hashable, template: str, context: Context) -> str:
    """`render_template(template, **context())`, kept under (template, key); `context` is
    only called to render."""
    return kept((template, key), lambda: render_template(template, **context()))


def kept_markup(key: Hashable, template: str, context: Context) -> Markup:
    """kept_html as Markup, to print in another template."""
    return Markup(kept_html(key, template, context))  # noqa: S704 - an autoescaped template
