"""Sign-in throttling. Only failures count, per account and per client address, in a storage
shared by every worker in production (Redis through COURSE_APP_RATELIMIT_STORAGE_URI)."""

from __future__ import annotations

import hashlib

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter

_EXTENSION_KEY = "course_app_throttle"


class LoginThrottle:
    def __init__(self, storage_uri: str, per_account: str, per_ip: str) -> None:
        self.limiter: RateLimiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.per_account = parse(per_account)
        self.per_ip = parse(per_ip)

    @staticmethod
    def _account_key(email: str) -> str:
        return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]

    def blocked(self, email: str, ip: str) -> bool:
        account_ok = self.limiter.test(self.per_account, "login-account", self._account_key(email))
        return not account_ok or not self.limiter.test(self.per_ip, "login-ip", ip)

    def record_failure(self, email: str, ip: str) -> None:
        self.limiter.hit(self.per_account, "login-account", self._account_key(email))
        self.limiter.hit(self.per_ip, "login-ip", ip)

    def reset_account(self, email: str) -> None:
        self.limiter.clear(self.per_account, "login-account", self._account_key(email))


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION_KEY] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        app.config["LOGIN_LIMIT_PER_IP"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions[_EXTENSION_KEY]
