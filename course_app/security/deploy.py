"""Deployment checks after Django's `check --deploy`: each finding has an id, a message and a
hint; errors make `flask check-deploy` exit non-zero, warnings are printed only."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

WEAK_SECRETS = {"", "dev", "change-me", "changeme", "secret", "dev-only-not-secret", "test"}
MIN_SECRET_LENGTH = 32
MIN_SECRET_CHARACTERS = 8  # distinct characters: "aaaa…" is long but guessable
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    id: str
    level: str  # "error" or "warning"
    message: str
    hint: str

    def __str__(self) -> str:
        return f"?: ({self.id}) {self.message}\n\tHINT: {self.hint}"


def default_workers(cpus: int | None = None) -> int:
    """gunicorn.conf.py's worker count when WEB_CONCURRENCY is not set."""
    return min(2 * (cpus or os.cpu_count() or 1) + 1, 9)


def worker_count(config: Mapping[str, Any], environ: Mapping[str, str]) -> int:
    raw = environ.get("WEB_CONCURRENCY") or config.get("WORKERS")
    return int(raw) if raw else default_workers()


def _secret(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    secret = str(config.get("SECRET_KEY") or "")
    weak = (secret in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH
            or len(set(secret)) < MIN_SECRET_CHARACTERS)
    if not weak:
        return []
    return [Finding("security.E001", "error",
                    "SECRET_KEY is missing, a known default, shorter than 32 characters or "
                    "made of too few distinct characters.",
                    "Set COURSE_APP_SECRET_KEY to the output of "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'.")]


def _debug(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    flag = str(environ.get("FLASK_DEBUG", "")).lower() in {"1", "true", "yes", "on"}
    if not (config.get("DEBUG") or flag):
        return []
    return [Finding("security.E002", "error", "Debug mode is on: the interactive debugger "
                    "runs any code a visitor sends.", "Unset FLASK_DEBUG and DEBUG.")]


def _environment(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    if config.get("ENV_NAME") == "production":
        return []
    return [Finding("security.E003", "error", "COURSE_APP_ENV is not 'production'.",
                    "Set COURSE_APP_ENV=production: it forces secure cookies, refuses unsafe "
                    "settings at start-up and never creates demo accounts.")]


def _cookies(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    problems = []
    if not config.get("SESSION_COOKIE_SECURE") or not config.get("REMEMBER_COOKIE_SECURE"):
        problems.append("not Secure (sent over plain HTTP)")
    if not config.get("SESSION_COOKIE_HTTPONLY") or not config.get("REMEMBER_COOKIE_HTTPONLY",
                                                                    True):
        problems.append("readable by JavaScript (HttpOnly off)")
    if str(config.get("SESSION_COOKIE_SAMESITE") or "").lower() not in {"lax", "strict"}:
        problems.append("sent on cross-site requests (SameSite not Lax or Strict)")
    if not problems:
        return []
    return [Finding("security.E004", "error", "Session cookies are " + "; ".join(problems) + ".",
                    "Run with COURSE_APP_ENV=production behind HTTPS and keep the cookie "
                    "defaults of course_app/config.py.")]


def _upload_limit(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    limit = config.get("MAX_CONTENT_LENGTH")
    if limit and 0 < int(limit) <= MAX_UPLOAD_BYTES:
        return []
    return [Finding("security.E005", "error",
                    "MAX_CONTENT_LENGTH is not set (or above 64 MiB): one request can fill the "
                    "server's memory or disk.",
                    "Keep the default (8 MiB) or set COURSE_APP_MAX_CONTENT_LENGTH.")]


def _database(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or config.get("DATABASE_URL") or "")
    if not url.startswith("sqlite"):
        return []
    workers = worker_count(config, environ)
    if workers > 1:
        return [Finding("security.E006", "error",
                        f"SQLite under a multi-worker server ({workers} workers).",
                        "Use PostgreSQL (COURSE_APP_DATABASE_URL=postgresql+psycopg://…) or "
                        "run one worker (WEB_CONCURRENCY=1).")]
    return [Finding("security.W001", "warning", "SQLite in production: one worker only.",
                    "Fine for a small pilot; use PostgreSQL for more than one worker.")]


def _proxy(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    if config.get("PROXY_COUNT") is not None:
        return []
    return [Finding("security.E007", "error",
                    "No trusted-proxy setting: behind a reverse proxy every client shares the "
                    "proxy's address, and sign-in throttling per address locks everyone out.",
                    "Set COURSE_APP_PROXY_COUNT to the number of reverse proxies in front of "
                    "the app (1 for nginx), or 0 when clients connect directly.")]


def _throttle_storage(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if not uri.startswith("memory") or worker_count(config, environ) <= 1:
        return []
    return [Finding("security.E008", "error",
                    "Sign-in throttling counts in each worker's memory: with several workers an "
                    "attacker gets the limit once per worker.",
                    "Set COURSE_APP_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.")]


def _public_url(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    url = str(config.get("PUBLIC_URL") or "")
    if url.startswith("https://"):
        return []
    return [Finding("security.W002", "warning",
                    "COURSE_APP_PUBLIC_URL is not an https:// address: certificate QR codes "
                    "will carry whatever host the request named.",
                    "Set COURSE_APP_PUBLIC_URL=https://your.domain.")]


CHECKS: tuple[Callable[[Mapping[str, Any], Mapping[str, str]], list[Finding]], ...] = (
    _secret, _debug, _environment, _cookies, _upload_limit, _database, _proxy,
    _throttle_storage, _public_url,
)


def check_deployment(config: Mapping[str, Any],
                     environ: Mapping[str, str] | None = None) -> list[Finding]:
    env = os.environ if environ is None else environ
    return [finding for check in CHECKS for finding in check(config, env)]
