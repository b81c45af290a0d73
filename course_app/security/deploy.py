"""Deployment checks after Django's `check --deploy`: each finding has an id, a message and a
hint; errors make `flask check-deploy` exit non-zero, warnings are printed only."""

from __future__ import annotations

import os
import shlex
import sys
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


def _int(raw: Any) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def command_line_workers(environ: Mapping[str, str]) -> int | None:
    """The worker count that GUNICORN_CMD_ARGS sets (-w N, -wN, --workers N, --workers=N):
    it overrides gunicorn.conf.py and WEB_CONCURRENCY."""
    try:
        words = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    except ValueError:
        return None
    found = None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word in ("-w", "--workers"):
            found = _int(following) or found
        elif word.startswith("--workers="):
            found = _int(word.split("=", 1)[1]) or found
        elif word.startswith("-w") and not word.startswith("--"):
            found = _int(word[2:]) or found
    return found


def gunicorn_workers() -> int | None:
    """The final worker count of the gunicorn server loading the app in this process (after
    -w, GUNICORN_CMD_ARGS and any configuration file), or None outside gunicorn: the app is
    imported from a method of gunicorn's arbiter or worker, whose `cfg` holds it."""
    config_module = sys.modules.get("gunicorn.config")
    if config_module is None:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        cfg = getattr(frame.f_locals.get("self"), "cfg", None)
        if isinstance(cfg, config_module.Config):
            return int(cfg.workers)
        frame = frame.f_back
    return None


def worker_count(config: Mapping[str, Any], environ: Mapping[str, str]) -> int:
    """What check-deploy assumes: the running server's count, else GUNICORN_CMD_ARGS, else
    WEB_CONCURRENCY, else gunicorn.conf.py's default (several workers)."""
    for found in (gunicorn_workers(), command_line_workers(environ),
                  _int(environ.get("WEB_CONCURRENCY")), _int(config.get("WORKERS"))):
        if found:
            return found
    return default_workers()


def weak_secret(secret: str) -> bool:
    """Missing, a known default, short, or of low variety (32 × "a" is long but guessable)."""
    return (secret in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH
            or len(set(secret)) < MIN_SECRET_CHARACTERS)


def debug_requested(config: Mapping[str, Any], environ: Mapping[str, str]) -> bool:
    """Debug asked for by the configuration, COURSE_APP_DEBUG or FLASK_DEBUG (`flask --debug`):
    Flask's command line resets app.debug from FLASK_DEBUG alone, so each is read here."""
    flags = (environ.get("FLASK_DEBUG", ""), environ.get("COURSE_APP_DEBUG", ""))
    return bool(config.get("DEBUG")) or any(
        str(flag).strip().lower() in {"1", "true", "yes", "on"} for flag in flags)


def _secret(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    if not weak_secret(str(config.get("SECRET_KEY") or "")):
        return []
    return [Finding("security.E001", "error",
                    "SECRET_KEY is missing, a known default, shorter than 32 characters or "
                    "made of too few distinct characters.",
                    "Set COURSE_APP_SECRET_KEY to the output of "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'.")]


def _debug(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Finding]:
    if not debug_requested(config, environ):
        return []
    return [Finding("security.E002", "error", "Debug mode is on: the interactive debugger "
                    "runs any code a visitor sends.",
                    "Unset FLASK_DEBUG and COURSE_APP_DEBUG, and do not pass --debug.")]


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
    if not url.startswith("http://"):
        return [Finding("security.E009", "error",
                        "COURSE_APP_PUBLIC_URL is not set: certificate QR codes and signed "
                        "Open Badges credentials would carry whatever host a request named.",
                        "Set COURSE_APP_PUBLIC_URL=https://your.domain.")]
    return [Finding("security.W002", "warning",
                    "COURSE_APP_PUBLIC_URL is a plain http:// address: the links in "
                    "certificates and credentials are not protected by TLS.",
                    "Set COURSE_APP_PUBLIC_URL=https://your.domain.")]


CHECKS: tuple[Callable[[Mapping[str, Any], Mapping[str, str]], list[Finding]], ...] = (
    _secret, _debug, _environment, _cookies, _upload_limit, _database, _proxy,
    _throttle_storage, _public_url,
)


def check_deployment(config: Mapping[str, Any],
                     environ: Mapping[str, str] | None = None) -> list[Finding]:
    env = os.environ if environ is None else environ
    return [finding for check in CHECKS for finding in check(config, env)]
