"""The site header (templates/_site_header.html, included by base.html): each reader gets their
own CSRF token and return address, their role's menu, their language and the right current
page."""

from __future__ import annotations

import re

from flask import Flask

from tests.helpers import TOKEN, post, sign_in

HEADER = re.compile(r'<header class="site-header">.*?</header>', re.S)


def header(client, url: str) -> str:
    found = HEADER.search(client.get(url).get_data(as_text=True))
    assert found, url
    return found.group(0)


def test_each_session_gets_its_own_token_in_the_header(app: Flask, make_user) -> None:
    tokens = []
    for email in ("a@example.vn", "b@example.vn"):
        make_user("trainee", email=email)
        client = app.test_client()
        assert sign_in(client, email).status_code == 302
        page = client.get("/verify").get_data(as_text=True)
        in_header = TOKEN.findall(HEADER.search(page).group(0))
        assert len(in_header) == 2 and len(set(in_header)) == 1
        tokens.append(in_header[0])
        assert post(client, "/logout", {"csrf_token": in_header[0]}).status_code == 302
    assert tokens[0] != tokens[1]


def test_the_return_address_is_escaped_and_follows_the_request(client) -> None:
    html = header(client, '/login?x="><b>bold</b>')
    back = re.search(r'name="next" value="([^"]*)"', html).group(1)
    assert back.startswith("/login?x=") and "<b>" not in html
    assert re.search(r'name="next" value="/verify"', header(client, "/verify"))


def test_menus_follow_role_language_and_current_page(app: Flask, client, make_user) -> None:
    assert 'href="/login"' not in header(client, "/login")  # no link to the page itself
    assert 'href="/login"' in header(client, "/verify")
    make_user("trainer", email="gv@example.vn")
    make_user("trainee", email="hv@example.vn")
    trainer, trainee = app.test_client(), app.test_client()
    sign_in(trainer, "gv@example.vn")
    sign_in(trainee, "hv@example.vn")
    reports = header(trainer, "/reports/")
    assert re.search(r'href="/reports/"[^>]*aria-current="page"', reports)
    assert 'href="/reports/"' not in header(trainee, "/verify")
    # Signed in, verifying moves to the footer so the menu keeps to one line at 1280 px.
    assert 'href="/verify"' not in header(trainee, "/verify")
    assert 'href="/verify"' in trainee.get("/").get_data(as_text=True).split("site-footer")[1]
    assert re.search(r'href="/verify"[^>]*aria-current="page"', header(client, "/verify"))
    # Password and notifications are one "Account" entry, current on both of its pages.
    for page in ("/account/password", "/account/notifications"):
        assert re.search(r'href="/account/notifications"[^>]*aria-current="page"',
                         header(trainee, page)), page
    post(trainee, "/language", {"locale": "en", "next": "/verify"})
    english = header(trainee, "/verify")
    assert "Account" in english and 'value="en" lang="en"\n' in english
    assert "Tài khoản" in header(trainer, "/verify")  # the other reader keeps Vietnamese
