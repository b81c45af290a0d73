"""Input the database cannot hold is refused at the door, before any view sees it:

- an integer in a URL (`<int:…>`) beyond the database's INTEGER range is a 404, as for any id
  that does not exist (PostgreSQL would fail the query: a 500 on seven routes);
- a NUL character in a form field, a query argument, a URL part or a JSON string is a 400 with
  its own message (PostgreSQL refuses NUL in text: a 500, on the anonymous sign-in form too)."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map, ValidationError

DATABASE_INT_MAX = 2**31 - 1  # INTEGER, the type of every id column (SQLite and PostgreSQL)
MAX_DIGITS = len(str(DATABASE_INT_MAX))
MAX_JSON_DEPTH = 64


class DatabaseInteger(IntegerConverter):
    """Werkzeug's `int`, bounded to what an id column can hold: beyond it no rule matches."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        bound = DATABASE_INT_MAX if max is None or max > DATABASE_INT_MAX else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bound, signed=signed)

    def to_python(self, value: str) -> Any:
        if len(value) > MAX_DIGITS:  # never parse thousands of digits (Python refuses 4,300+)
            raise ValidationError()
        return super().to_python(value)


class InvalidCharacter(BadRequest):
    description = _l("The form held an invalid character (a NUL byte). Please remove it and "
                     "try again.")


def _holds_nul(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > MAX_JSON_DEPTH:
        return False
    if isinstance(value, dict):
        return any(_holds_nul(k, depth + 1) or _holds_nul(v, depth + 1)
                   for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item, depth + 1) for item in value)
    return False


def refuse_nul() -> None:
    """before_request: a NUL anywhere in what the request carries is a clear 400."""
    if "\x00" in request.path or "%00" in request.query_string.decode("latin-1"):
        raise InvalidCharacter()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        if _holds_nul(request.get_json(silent=True)):
            raise InvalidCharacter()
        return
    for key, values in request.form.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise InvalidCharacter()
    for file in request.files.values():
        if "\x00" in (file.filename or ""):
            raise InvalidCharacter()


def install_converters(app: Flask) -> None:
    """Before any blueprint adds its rules: each `<int:…>` rule then uses the bounded one."""
    app.url_map.converters["int"] = DatabaseInteger


def refuse_several_processes() -> None:
    """Production on SQLite or in-memory throttling, served by several processes that no
    start-up check saw (a server other than gunicorn says so in `wsgi.multiprocess`): 503."""
    if request.environ.get("wsgi.multiprocess"):
        current_app.logger.critical("several server processes share a SQLite database or "
                                    "in-memory throttling: refused (docs/deploy.md)")
        abort(503)


def _one_process_only(app: Flask) -> bool:
    return app.config.get("ENV_NAME") == "production" and (
        app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        or str(app.config.get("RATELIMIT_STORAGE_URI") or "").startswith("memory"))


def init_app(app: Flask) -> None:
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(0, refuse_nul)
    if _one_process_only(app):
        hooks.insert(0, refuse_several_processes)
