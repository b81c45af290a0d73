"""The one-click unsubscribe link: a signed (HMAC-SHA256 with SECRET_KEY, its own salt) pair of
account id and mail kind. It needs no sign-in, says nothing but "stop this kind of mail for
this account", and a changed character makes it invalid. It never expires: a months-old
reminder's link must still work (RFC 8058)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..models.notification import OPTIONAL_KINDS

SALT = "course_app.notify.unsubscribe"
MAX_LENGTH = 200


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make(user_id: int, kind: str) -> str:
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"{kind} mails cannot be turned off")
    return str(_serializer().dumps([user_id, kind]))


def read(token: str) -> tuple[int, str] | None:
    """(account id, kind) of a genuine token; None for anything else."""
    if not token or len(token) > MAX_LENGTH:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
            and value[1] in OPTIONAL_KINDS):
        return None
    return value[0], value[1]
