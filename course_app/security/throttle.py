"""Sign-in throttling. Only failures count, per account and per client address, in a storage
shared by every worker in production (Redis through COURSE_APP_RATELIMIT_STORAGE_URI).

Per account the check is an atomic "take a slot" before the password is verified, so a burst of
parallel guesses can never verify more passwords than the limit allows; a successful sign-in
clears the account's count (start_session calls `reset_account`). Per address only failures are
recorded: a whole office shares one address, so successes there must never use up the budget.
The client address is the socket's, unless COURSE_APP_PROXY_COUNT names how many trusted reverse
proxies append to X-Forwarded-For (ProxyFix); a forged header is ignored otherwise."""

from __future__ import annotations

import hashlib
import unicodedata

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

_EXTENSION_KEY = "course_app_throttle"
_RECOVERY_KEY = "course_app_recovery_throttle"
ACCOUNT, ADDRESS = "login-account", "login-ip"


def _storage_options(storage_uri: str, key_prefix: str) -> dict[str, str]:
    return {"key_prefix": key_prefix} if storage_uri.startswith(("redis", "valkey")) else {}


class LoginThrottle:
    def __init__(self, storage_uri: str, per_account: str, per_ip: str,
                 key_prefix: str = "course_app") -> None:
        storage = storage_from_string(storage_uri, **_storage_options(storage_uri, key_prefix))
        self.limiter: RateLimiter = MovingWindowRateLimiter(storage)
        self.per_account = parse(per_account)
        self.per_ip = parse(per_ip)

    @staticmethod
    def _account_key(email: str) -> str:
        folded = unicodedata.normalize("NFC", email.strip()).casefold()
        return hashlib.sha256(folded.encode()).hexdigest()[:32]

    def blocked(self, email: str, ip: str) -> bool:
        """True when this sign-in must be refused. Otherwise it has taken one of the account's
        slots (atomically, in the shared storage) before any password is checked."""
        if not self.limiter.test(self.per_ip, ADDRESS, ip):
            return True
        return not self.limiter.hit(self.per_account, ACCOUNT, self._account_key(email))

    def record_failure(self, email: str, ip: str) -> None:
        """The account's slot was taken by `blocked`; a failure also counts for the address."""
        del email  # counted already
        self.limiter.hit(self.per_ip, ADDRESS, ip)

    def reset_account(self, email: str) -> None:
        self.limiter.clear(self.per_account, ACCOUNT, self._account_key(email))

    def failures(self, email: str, ip: str) -> tuple[int, int]:
        """(account, address) counts in the current window, for tests and operators."""
        account = self.limiter.get_window_stats(self.per_account, ACCOUNT, self._account_key(email))
        address = self.limiter.get_window_stats(self.per_ip, ADDRESS, ip)
        return (self.per_account.amount - account.remaining,
                self.per_ip.amount - address.remaining)


class RequestThrottle:
    """Every request counts (not only failures), per account and per address: for actions that
    cost the server or a mailbox something whatever their outcome (password recovery mails).
    An unknown address is counted like a known one, so the answer tells nothing."""

    def __init__(self, name: str, storage_uri: str, per_account: str, per_ip: str,
                 key_prefix: str = "course_app") -> None:
        storage = storage_from_string(storage_uri, **_storage_options(storage_uri, key_prefix))
        self.limiter: RateLimiter = MovingWindowRateLimiter(storage)
        self.name = name
        self.per_account = parse(per_account)
        self.per_ip = parse(per_ip)

    def allow(self, email: str, ip: str) -> bool:
        """Take one slot of the address and one of the account; False when either is used up."""
        if not self.limiter.hit(self.per_ip, f"{self.name}-ip", ip):
            return False
        key = LoginThrottle._account_key(email)
        return self.limiter.hit(self.per_account, f"{self.name}-account", key)


def trust_proxies(app: Flask) -> None:
    """Read the client address from X-Forwarded-For only behind a configured number of proxies."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    trust_proxies(app)
    app.extensions[_EXTENSION_KEY] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        app.config["LOGIN_LIMIT_PER_IP"],
        app.config.get("RATELIMIT_KEY_PREFIX", "course_app"),
    )
    app.extensions[_RECOVERY_KEY] = RequestThrottle(
        "recovery", app.config["RATELIMIT_STORAGE_URI"], app.config["RECOVERY_LIMIT_PER_ACCOUNT"],
        app.config["RECOVERY_LIMIT_PER_IP"], app.config.get("RATELIMIT_KEY_PREFIX", "course_app"))


def login_throttle() -> LoginThrottle:
    return current_app.extensions[_EXTENSION_KEY]


def recovery_throttle() -> RequestThrottle:
    return current_app.extensions[_RECOVERY_KEY]
