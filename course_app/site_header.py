"""The site header (brand, menu, sign-out and language forms), rendered from
templates/_site_header.html once per kind of page and kept per process.

The header depends on little: the reader's language, whether they are signed in and their role,
which menu entry is the current page, and two values per request, the CSRF token and the address
to come back to after a language change. Rendering it for every page through Jinja (a dozen
translated strings, the menu's conditions) was a tenth of a lesson page. It is rendered with
autoescaping like any template (kept_render), with two unguessable slots in place of the
per-request values, which are escaped and put in on each request."""

from __future__ import annotations

import secrets
from typing import Any

from flask import request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .i18n import current_language
from .kept_render import kept_html

# Pages and sections the header marks as current (aria-current), and the login page, which
# shows no "Sign in" link: every other page shares the header of its kind.
MARKED_PAGES = frozenset({"learn.dashboard", "certificates.verify_form", "auth.change_password",
                          "auth.login"})
MARKED_SECTIONS = frozenset({"reports", "grading", "author", "admin"})
# The menu's destinations: built with the header, once per kind of page.
MENU_ENDPOINTS = ("learn.dashboard", "reports.index", "grading.queue", "author.index",
                  "admin.index", "certificates.verify_form", "auth.change_password",
                  "auth.logout", "auth.set_language", "auth.login")
_SLOT = secrets.token_hex(16)
CSRF_SLOT, NEXT_SLOT = f"csrf-{_SLOT}", f"next-{_SLOT}"


def _kind() -> tuple[Any, ...]:
    signed_in = bool(current_user.is_authenticated)
    endpoint, section = request.endpoint, request.blueprint
    return (current_language(), request.script_root, signed_in,
            signed_in and bool(current_user.is_trainer), signed_in and bool(current_user.is_admin),
            endpoint if endpoint in MARKED_PAGES else None,
            section if section in MARKED_SECTIONS else None)


def _context(kind: tuple[Any, ...]) -> dict[str, Any]:
    language, _root, signed_in, trainer, admin, here, section = kind
    return {"language": language, "signed_in": signed_in, "trainer": trainer, "admin": admin,
            "here": here, "section": section,
            "menu": {endpoint: url_for(endpoint) for endpoint in MENU_ENDPOINTS},
            "csrf_slot": CSRF_SLOT, "next_slot": NEXT_SLOT}


def site_header() -> Markup:
    kind = _kind()
    html = kept_html(kind, "_site_header.html", lambda: _context(kind))
    back = request.full_path.rstrip("?")
    return Markup(  # noqa: S704 - an autoescaped template; the slots get escaped values
        html.replace(CSRF_SLOT, escape(generate_csrf())).replace(NEXT_SLOT, escape(back)))
