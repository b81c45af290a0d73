"""Sign-in throttling (SECURITY.md 2): every failure in a parallel burst is counted, per
account atomically and per address; a forged X-Forwarded-For changes nothing unless a proxy
count is configured; unknown users and wrong passwords cost the same; the count is shared by
every worker through Redis."""

from __future__ import annotations

import secrets
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher, extract_parameters

from course_app.database import writing
from course_app.extensions import db
from course_app.models import AuditEvent
from course_app.people import accounts
from course_app.security.passwords import ONE_TIME_HASHER, PROFILES
from course_app.security.throttle import LoginThrottle, login_throttle

from ..helpers import PASSWORD, csrf, post, sign_in

REDIS_URL = "redis://127.0.0.1:6379/0"


def _burst(app, posts: list[dict[str, str]], threads: int = 20) -> list[int]:
    """Send the sign-in forms in parallel, each thread with a browser of its own."""
    browsers = [app.test_client() for _ in range(threads)]
    tokens = [csrf(browser, "/login") for browser in browsers]

    def send_share(share: int) -> list[int]:  # one browser is never used by two threads
        browser, token = browsers[share], tokens[share]
        return [browser.post("/login", data={**form, "csrf_token": token}).status_code
                for form in posts[share::threads]]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [code for codes in pool.map(send_share, range(threads)) for code in codes]


def test_parallel_wrong_passwords_are_all_counted(app, trainee):
    limit = login_throttle().per_account.amount
    codes = _burst(app, [{"email": trainee.email, "password": f"wrong {i}!"}
                         for i in range(200)])
    assert codes.count(401) == limit  # no more passwords were tried than the limit allows
    assert codes.count(429) == 200 - limit
    assert sign_in(app.test_client(), trainee.email).status_code == 429  # even the right one
    assert login_throttle().failures(trainee.email, "127.0.0.1") == (limit, limit)
    db.session.expire_all()
    assert db.session.query(AuditEvent).filter_by(action="auth.login_failed").count() == limit


def test_failures_per_address_are_counted_across_accounts(app, trainee):
    app.extensions["course_app_throttle"] = LoginThrottle("memory://", "10/15 minutes",
                                                          "8/15 minutes")
    codes = _burst(app, [{"email": f"guess{i}@example.vn", "password": "wrong password!"}
                         for i in range(40)], threads=6)
    # Only failures count per address, so the check comes before the password and the count
    # after it: at most one in-flight request per thread slips past the limit.
    assert 8 <= codes.count(401) <= 8 + 6
    assert codes.count(401) + codes.count(429) == 40
    assert login_throttle().failures("x", "127.0.0.1")[1] == 8
    assert sign_in(app.test_client(), trainee.email).status_code == 429


def test_a_success_clears_the_accounts_failures_but_not_the_addresses(app, trainee):
    for _ in range(3):
        sign_in(app.test_client(), trainee.email, "wrong password!")
    assert login_throttle().failures(trainee.email, "127.0.0.1") == (3, 3)
    assert sign_in(app.test_client(), trainee.email).status_code == 302
    assert login_throttle().failures(trainee.email, "127.0.0.1") == (0, 3)


def _profiles_verified(monkeypatch) -> list[tuple[int, int, int]]:
    """The argon2 parameters of each hash verified, in order (the library's method, counted)."""
    calls: list[tuple[int, int, int]] = []
    original = PasswordHasher.verify

    def counting(self, stored, password):
        found = extract_parameters(stored)
        calls.append((found.time_cost, found.memory_cost, found.parallelism))
        return original(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_every_failed_sign_in_costs_the_same_hashes(app, trainee, make_user, cohort,
                                                    monkeypatch):
    """Issue 18 item 6: unknown, disabled, on a one-time password (a cheaper profile) or on a
    password of its own, a failure verifies one hash of each profile, nothing more or less."""
    one_time = make_user("trainee", email="otp@example.vn", cohort=cohort)
    disabled = make_user("trainee", email="off@example.vn", cohort=cohort)
    with writing():
        one_time.password_hash = ONE_TIME_HASHER.hash("abcd-efgh-jkmn-pqrs")
        one_time.must_change_password = True
        disabled.active = False
        db.session.commit()
    calls = _profiles_verified(monkeypatch)
    every_profile = sorted((h.time_cost, h.memory_cost, h.parallelism) for h in PROFILES)
    for email, password in [("nobody@example.vn", "wrong password!"),
                            (trainee.email, "wrong password!"),
                            (one_time.email, "wrong password!"),
                            (disabled.email, "wrong password!"),
                            (disabled.email, PASSWORD)]:
        calls.clear()
        assert sign_in(app.test_client(), email, password).status_code == 401, email
        assert sorted(calls) == every_profile, (email, calls)
    calls.clear()
    assert sign_in(app.test_client(), one_time.email, "abcd-efgh-jkmn-pqrs").status_code == 302
    assert len(calls) == 1  # a success checks its own hash only


def test_the_current_password_check_is_throttled_and_audited(app, trainee, login_as):
    """Issue 18 item 15: guesses at /account/password count like failed sign-ins."""
    client = login_as(trainee)
    limit = login_throttle().per_account.amount
    form = {"current_password": "wrong password!", "new_password": "mật khẩu mới đủ dài",
            "confirm": "mật khẩu mới đủ dài"}
    codes = [post(client, "/account/password", form).status_code for _ in range(limit + 2)]
    assert codes == [400] * limit + [429, 429]
    right = {**form, "current_password": PASSWORD}
    assert post(client, "/account/password", right).status_code == 429  # even the right one
    db.session.expire_all()
    events = db.session.query(AuditEvent).filter_by(action="auth.password_check_failed").all()
    assert len(events) == limit and {e.actor_id for e in events} == {trainee.id}


def _forwarded(client, header: str, email: str):
    client.environ_base["HTTP_X_FORWARDED_FOR"] = header
    return sign_in(client, email, "wrong password!")


def test_forwarded_for_is_ignored_without_a_proxy_setting(app, trainee):
    assert app.config["PROXY_COUNT"] is None
    _forwarded(app.test_client(), "203.0.113.9", trainee.email)
    db.session.expire_all()
    assert db.session.query(AuditEvent).filter_by(action="auth.login_failed").one().ip == \
        "127.0.0.1"


def test_behind_one_proxy_only_the_proxys_entry_counts(make_app):
    app = make_app(PROXY_COUNT=1, LOGIN_LIMIT_PER_IP="5/15 minutes")
    with app.app_context():
        with writing():
            user = accounts.create_user("proxy@example.vn", "Lê Văn Proxy", "trainee", PASSWORD)
            db.session.commit()
        client = app.test_client()
        for index in range(5):  # the client forges the first entry; the proxy appends its own
            assert _forwarded(client, f"10.9.9.{index}, 198.51.100.7", f"x{index}@example.vn") \
                .status_code == 401
        assert _forwarded(client, "1.1.1.1, 198.51.100.7", user.email).status_code == 429
        assert _forwarded(client, "198.51.100.8", user.email).status_code == 401
        ips = {e.ip for e in db.session.query(AuditEvent).filter_by(action="auth.login_failed")}
        assert ips == {"198.51.100.7", "198.51.100.8"}


def _redis_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one)")


def test_redis_storage_is_shared_and_atomic_across_workers():
    """Two throttles on one Redis are two workers: 100 parallel attempts, 10 get through."""
    _redis_or_skip()
    prefix = f"test-{secrets.token_hex(8)}"
    workers = [LoginThrottle(REDIS_URL, "10/15 minutes", "100/15 minutes", prefix)
               for _ in range(2)]
    email = "shared@example.vn"

    def attempt(index: int) -> bool:
        throttle = workers[index % 2]
        if throttle.blocked(email, "192.0.2.1"):
            return False
        throttle.record_failure(email, "192.0.2.1")
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        passed = list(pool.map(attempt, range(100)))
    assert passed.count(True) == 10
    assert workers[1].failures(email, "192.0.2.1") == (10, 10)
    workers[0].reset_account(email)
    assert workers[1].failures(email, "192.0.2.1") == (0, 10)
    workers[0].limiter.clear(workers[0].per_ip, "login-ip", "192.0.2.1")
