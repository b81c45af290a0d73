"""Renders of autoescaped templates kept per process, for HTML that costs far more to render
than its inputs cost to read: the site header (once per kind of page) and the cohort
dashboard's charts and trainee table (once per state of the cohort's data).

The caller names everything the HTML depends on in the key; the render itself is an ordinary
`render_template` with autoescaping, so a kept render is exactly what a fresh one would be.
Debug mode renders every time (templates may change under a running server)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup

from .app_state import per_app

ENTRIES = 256  # renders kept per process and app, least recently used dropped first
_EXTENSION = "course_app.kept_renders"


class _Kept:
    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()


Context = Callable[[], Mapping[str, Any]]


def kept_html(key: Hashable, template: str, context: Context) -> str:
    """`render_template(template, **context())`, kept under (template, key); `context` is
    only called to render."""
    if current_app.debug:
        return render_template(template, **context())
    kept = per_app(_EXTENSION, _Kept)
    full_key = (template, key)
    with kept.lock:
        html = kept.entries.get(full_key)
        if html is not None:
            kept.entries.move_to_end(full_key)
            return html
    html = render_template(template, **context())
    with kept.lock:
        kept.entries[full_key] = html
        while len(kept.entries) > ENTRIES:
            kept.entries.popitem(last=False)
    return html


def kept_markup(key: Hashable, template: str, context: Context) -> Markup:
    """kept_html as Markup, to print in another template."""
    return Markup(kept_html(key, template, context))  # noqa: S704 - an autoescaped template
