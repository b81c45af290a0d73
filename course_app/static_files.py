"""Fingerprinted static URLs (?v=<hash>) with long cache lifetimes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request, url_for

STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=256)
def _digest(filename: str) -> str:
    path = STATIC / filename
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"


def asset(filename: str) -> str:
    return url_for("static", filename=filename, v=_digest(filename))


def _cache_static(response: Response) -> Response:
    fingerprinted = request.path.startswith("/static/") and request.args.get("v")
    if fingerprinted and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset"] = asset
    app.after_request(_cache_static)
