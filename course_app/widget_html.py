"""What the HTML widgets (quiz/widgets.py, learn/widgets.py) share. They are Python instead of
Jinja macros where a page repeats them dozens of times: a macro call and each `_()` in it cost
Jinja a context, which made such loops most of a page's time.

The rule that keeps a widget as safe as an autoescaped template, checked on the syntax tree by
tests/security/test_promises.py: every value put into an f-string is the result of a call to
one of the module's SAFE_CALLS (escape, the sanitised Markdown filters, these helpers, or a
function of the module that follows the same rule), and only its public functions wrap the
result in Markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import escape

from .i18n import translated

Html = str  # built by the rule above


def join_html(parts: Iterable[Html]) -> Html:
    return "".join(parts)


def label(message: str, **values: Any) -> Html:
    """An interface text in the reader's language, escaped."""
    return escape(translated(message, **values))
