"""Opaque page cursors: the last id of a page and the filters it was read with, signed with the
app's secret key so that a client can neither forge one nor reuse it with other filters."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "course_app.api.cursor"


class BadCursor(ValueError):
    pass


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(**filters: Any) -> str:
    text = repr(sorted((key, str(value)) for key, value in filters.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(after_id: int, filters: str) -> str:
    return str(_serializer().dumps({"a": after_id, "f": filters}))


def decode(cursor: str | None, filters: str) -> int:
    """The id after which the page starts (0 without a cursor)."""
    if cursor is None:
        return 0
    try:
        data = _serializer().loads(cursor)
    except BadSignature as error:
        raise BadCursor("not a cursor this API gave") from error
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or data.get("f") != filters:
        raise BadCursor("the cursor was given for other filters")
    return int(data["a"])
