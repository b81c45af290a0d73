"""Objects kept per app rather than per module (caches, mostly): each app object, and so each
test's database, starts with its own."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import current_app

T = TypeVar("T")
V = TypeVar("V")


def per_app(name: str, make: Callable[[], T]) -> T:
    """The current app's object under `name`, made on first use."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, make())
    return found  # type: ignore[no-any-return]


class Lru(Generic[V]):
    """A map shared by a process's threads that drops its least recently used entries beyond
    a limit (the kept HTML, the dashboard's rows, the open attempts' snapshots). Values are
    never None."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V, limit: int) -> None:
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > limit:
                self.entries.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V], limit: int) -> V:
        """The entry under `key`, made (outside the lock) and kept when missing."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found, limit)
        return found
