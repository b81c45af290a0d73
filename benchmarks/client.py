"""A minimal browser without JavaScript over http.client: keeps the session cookie, reads the
CSRF token from pages, signs in through the real form."""

from __future__ import annotations

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

USER_AGENT = "course-app-bench"  # the same in every client: the session is bound to it
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
COOKIE = "session"
LANDING = "/verify"  # a light page whose layout carries a form, hence the session's CSRF token


@dataclass(frozen=True)
class SignedIn:
    email: str
    cookie: str  # "session=…", ready for a Cookie header
    csrf: str


class Browser:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.session = ""

    def request(self, method: str, path: str,
                fields: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        headers = {"User-Agent": USER_AGENT}
        if self.session:
            headers["Cookie"] = f"{COOKIE}={self.session}"
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == COOKIE:
                self.session = rest.partition(";")[0]
        return response.status, text

    def close(self) -> None:
        self.connection.close()


def csrf_token(html: str, page: str) -> str:
    match = TOKEN.search(html)
    if match is None:
        raise RuntimeError(f"no CSRF token on {page}")
    return match.group(1)


def login_form(port: int) -> tuple[str, str]:
    """The session cookie and CSRF token of one visit to /login (a signed cookie: reusable)."""
    browser = Browser(port)
    try:
        _, html = browser.request("GET", "/login")
        return browser.session, csrf_token(html, "/login")
    finally:
        browser.close()


def sign_in(port: int, email: str, password: str, form: tuple[str, str],
            landing: str = LANDING) -> SignedIn:
    """Sign in through the /login form, then open `landing` for the CSRF token that belongs to
    the new session (signing in starts a new one)."""
    browser = Browser(port)
    browser.session, token = form
    try:
        fields = [("csrf_token", token), ("email", email), ("password", password)]
        status, _ = browser.request("POST", "/login", fields)
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        status, html = browser.request("GET", landing)
        if status != 200:
            raise RuntimeError(f"{landing} answered {status} for {email}")
        return SignedIn(email, f"{COOKIE}={browser.session}", csrf_token(html, landing))
    finally:
        browser.close()


def sign_in_all(port: int, password: str, emails: list[str], parallel: int = 8) -> list[SignedIn]:
    """Sign in every account; same order as given."""
    form = login_form(port)
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda email: sign_in(port, email, password, form), emails))
