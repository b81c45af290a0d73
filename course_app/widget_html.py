"""What the HTML widgets (quiz/widgets.py, learn/widgets.py) share. They are Python instead of
Jinja macros where a page repeats them dozens of times: a macro call and each `_()` in it cost
Jinja a context, which made such loops most of a page's time.

The rule that keeps a widget as safe as an autoescaped template, checked on the syntax tree by
tests/security/test_promises.py: every value put into an f-string is the result of a call to
one of the module's SAFE_CALLS (`text`, the sanitised Markdown renderers, these helpers, or a
function of the module that follows the same rule), and only its public functions wrap the
result in Markup. The parts are plain str, not Markup: markupsafe builds a Markup object for
every escaped value, which was a tenth of an attempt page."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from .i18n import translated

Html = str  # built by the rule above


def join_html(parts: Iterable[Html]) -> Html:
    return "".join(parts)


def text(value: Any) -> Html:
    """A value as HTML text: &, <, >, " and ' escaped."""
    return escape(str(value))


def label(message: str, **values: Any) -> Html:
    """An interface text in the reader's language, escaped."""
    return escape(translated(message, **values))
