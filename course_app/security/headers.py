"""Security headers on every response, and no caching of pages that hold answers or scores."""

from __future__ import annotations

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
NO_STORE_PREFIXES = ("/attempts/", "/certificates/", "/reports/", "/admin/", "/author/")


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.path.startswith(NO_STORE_PREFIXES) or request.path == "/":
        headers["Cache-Control"] = "no-store"
    elif "Cache-Control" not in headers and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "private, no-cache"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
