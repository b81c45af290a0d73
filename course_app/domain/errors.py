"""Errors a use case reports to its caller (a view or a CLI command), with a stable code."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """`code` picks the translated message in views; `message` is the English text for the CLI."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class NotFound(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__("not_found", f"{what} not found")
