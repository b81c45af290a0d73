"""Objects kept per app rather than per module (caches, mostly): each app object, and so each
test's database, starts with its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def per_app(name: str, make: Callable[[], T]) -> T:
    """The current app's object under `name`, made on first use."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, make())
    return found  # type: ignore[no-any-return]
