"""Accounts and sessions: SECURITY.md promises 1-5."""

from __future__ import annotations

import unicodedata

import pytest
from argon2 import PasswordHasher

from course_app.extensions import db
from course_app.models import AuditEvent, User
from course_app.security.passwords import hash_password, verify_password

from ..helpers import PASSWORD, csrf, post, sign_in


def test_hashes_are_argon2id_with_strong_parameters():
    stored = hash_password("một mật khẩu")
    assert stored.startswith("$argon2id$")
    parameters = PasswordHasher().check_needs_rehash(stored)
    assert parameters is False
    memory = int(stored.split("$")[3].split(",")[0].removeprefix("m="))
    assert memory >= 19 * 1024  # ASVS / OWASP minimum for argon2id


def test_long_vietnamese_and_nfd_passwords_verify():
    password = "Đường đến Hải Phòng qua những cánh đồng lúa chín vàng óng ả" * 2
    assert len(password) >= 80
    stored = hash_password(password)
    assert verify_password(stored, password)
    assert verify_password(stored, unicodedata.normalize("NFD", password))
    assert not verify_password(stored, password[:-1])


def test_sign_in_and_out(client, trainee):
    page = client.get("/login")
    assert page.status_code == 200 and 'name="email"' in page.get_data(as_text=True)
    response = sign_in(client, trainee.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert post(client, "/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_user_look_the_same(client, trainee):
    wrong = sign_in(client, trainee.email, "not the password!")
    unknown = sign_in(client, "nobody@example.vn", "not the password!")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: r.get_data(as_text=True).replace("nobody@example.vn", trainee.email)  # noqa: E731
    assert strip(wrong).split("csrf_token")[0] == strip(unknown).split("csrf_token")[0]
    assert db.session.query(AuditEvent).filter_by(action="auth.login_failed").count() == 2


def test_login_form_without_csrf_is_refused(client, trainee):
    response = client.post("/login", data={"email": trainee.email, "password": PASSWORD})
    assert response.status_code == 400


def test_open_redirect_is_refused(client, trainee):
    token = csrf(client, "/login")
    response = client.post("/login?next=https://evil.example/", data={
        "email": trainee.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def _stolen_cookie(client):
    return client.get_cookie("session").value


def _replay(app, cookie):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/")


def test_cookie_copied_before_logout_is_refused(app, client, trainee):
    sign_in(client, trainee.email)
    cookie = _stolen_cookie(client)
    assert _replay(app, cookie).status_code == 200
    post(client, "/logout")
    assert _replay(app, cookie).status_code == 302


def test_cookie_copied_before_disable_is_refused(app, client, trainee):
    sign_in(client, trainee.email)
    cookie = _stolen_cookie(client)
    user = db.session.get(User, trainee.id)
    user.active = False
    db.session.commit()
    assert _replay(app, cookie).status_code == 302


def test_cookie_copied_before_password_change_is_refused(app, client, trainee):
    sign_in(client, trainee.email)
    cookie = _stolen_cookie(client)
    response = post(client, "/account/password", {
        "current_password": PASSWORD, "new_password": "một mật khẩu mới hơn",
        "confirm": "một mật khẩu mới hơn"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert _replay(app, cookie).status_code == 302
    assert sign_in(app.test_client(), trainee.email, "một mật khẩu mới hơn").status_code == 302


def test_password_change_shows_errors_next_to_fields(client, trainee):
    sign_in(client, trainee.email)
    response = post(client, "/account/password", {
        "current_password": "wrong one!!", "new_password": "ngắn", "confirm": "khác"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "field-error" in html


def test_forced_password_change(client, trainee):
    user = db.session.get(User, trainee.id)
    user.must_change_password = True
    db.session.commit()
    sign_in(client, trainee.email)
    response = client.get("/courses/demo")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"


def test_session_cookie_flags(client, trainee):
    response = sign_in(client, trainee.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("attempts", [10])
def test_failed_sign_ins_are_throttled_per_account(client, trainee, attempts):
    for _ in range(attempts):
        assert sign_in(client, trainee.email, "wrong password!").status_code == 401
    blocked = sign_in(client, trainee.email, PASSWORD)
    assert blocked.status_code == 429


def test_forged_forwarded_for_does_not_reset_the_limit(client, trainee):
    for index in range(10):
        sign_in(client, trainee.email, "wrong password!")
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{index}"
    assert sign_in(client, trainee.email, PASSWORD).status_code == 429


def test_successful_sign_ins_from_one_address_are_not_throttled(app, cohort, make_user):
    users = [make_user("trainee", cohort=cohort) for _ in range(12)]
    for user in users:
        assert sign_in(app.test_client(), user.email).status_code == 302


def test_language_switch_is_remembered_for_the_user(client, trainee):
    sign_in(client, trainee.email)
    post(client, "/language", {"locale": "en", "next": "/"})
    assert db.session.get(User, trainee.id).locale == "en"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "My courses" in html
    post(client, "/language", {"locale": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    assert post(client, "/language", {"locale": "xx"}).status_code == 400
