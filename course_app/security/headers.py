"""Security headers on every response, and no caching of pages that hold answers or scores."""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# A view may set a narrower policy of its own (an uploaded image, say); these directives are
# kept in it whatever it says, because `default-src` does not cover the last two.
REQUIRED_DIRECTIVES = {"object-src": "'none'", "base-uri": "'none'",
                       "frame-ancestors": "'none'"}
NO_STORE_PREFIXES = ("/attempts/", "/certificates/", "/reports/", "/admin/", "/author/",
                     "/grading/", "/account/")
HSTS = "max-age=31536000; includeSubDomains"


def complete_policy(policy: str) -> str:
    present = {part.split()[0].lower() for part in policy.split(";") if part.strip()}
    missing = [f"{name} {value}" for name, value in REQUIRED_DIRECTIVES.items()
               if name not in present]
    return "; ".join([policy.strip().rstrip(";"), *missing]) if missing else policy


def _signed_in() -> bool:
    return bool(session.get("_user_id"))  # Flask-Login's key; no database read here


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = complete_policy(
        headers.get("Content-Security-Policy", CSP))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("ENV_NAME") == "production" or request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith(NO_STORE_PREFIXES) or request.path == "/":
        headers["Cache-Control"] = "no-store"
    elif "Cache-Control" not in headers and not request.path.startswith("/static/"):
        # Any page a signed-in visitor gets may show their own results (the quiz intro lists
        # every attempt's score, the course outline each quiz's grade): never stored.
        headers["Cache-Control"] = "no-store" if _signed_in() else "private, no-cache"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
