"""Log lines cannot be forged: user-supplied text (paths, emails, form values) is written with
control characters escaped, so a value holding a newline cannot start a fake log entry."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x00, 0x20), 0x7F)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_CONTROL.update({0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\x85"})


def escape(value: Any) -> Any:
    return value.translate(_CONTROL) if isinstance(value, str) else value


class EscapeControlCharacters(logging.Filter):
    """Escapes the message's arguments; the format string itself is the programmer's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(escape(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: escape(arg) for key, arg in record.args.items()}
        record.msg = escape(record.msg) if not record.args else record.msg
        return True


def init_app(app: Flask) -> None:
    if not any(isinstance(f, EscapeControlCharacters) for f in app.logger.filters):
        app.logger.addFilter(EscapeControlCharacters())
