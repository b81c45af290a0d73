"""Helpers for tests that talk HTTP like a browser without JavaScript: every POST carries the
CSRF token taken from a rendered page, as a real form would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
PASSWORD = "mật khẩu đủ dài 123"


def csrf(client: FlaskClient, page: str = "/verify") -> str:
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None,
         **kwargs: Any) -> Any:
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf(client))
    return client.post(url, data=payload, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return post(client, "/login", {"email": email, "password": password})
