"""Configuration: defaults in code, then instance/config.py, then COURSE_APP_* variables, then the
argument of create_app. Production refuses to start with settings that would be unsafe."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import click
from flask import Flask

from .security import deploy

ENV_PREFIX = "COURSE_APP_"
# For development only: production refuses it (check_production, `flask check-deploy`).
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  # nosec B105


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV_NAME": "development",
        "SECRET_KEY": DEV_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{os.path.join(instance_path, 'course.db')}",
        "DATABASE_SCHEMA": None,
        # PostgreSQL connections each app process keeps open (one per gunicorn thread is
        # enough), and how many more it may open at a peak; see docs/deploy.md
        # ("Connection pool"): workers × servers × (pool + overflow) must stay under
        # PostgreSQL's max_connections.
        # Files the enrolment flow keeps between two requests (a shared directory when several
        # app servers serve one site); None: instance/roster.
        "ROSTER_DIR": None,
        "DB_POOL_SIZE": 5,
        "DB_MAX_OVERFLOW": 5,
        "DEFAULT_LOCALE": "vi",
        "LOCALES": ("vi", "en"),
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "PUBLIC_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": "course_app",
        "LOGIN_LIMIT_PER_ACCOUNT": "10/15 minutes",
        "LOGIN_LIMIT_PER_IP": "100/15 minutes",
        # How many reverse proxies in front of the app append to X-Forwarded-For; None means
        # "not configured" (read as 0, and reported by `flask check-deploy`).
        "PROXY_COUNT": None,
        # Password recovery mails a person may ask for: per account and per client address.
        "RECOVERY_LIMIT_PER_ACCOUNT": "3/15 minutes",
        "RECOVERY_LIMIT_PER_IP": "30/15 minutes",
        "PASSWORD_RESET_MINUTES": 30,  # nosec B105 - minutes a reset link lives, not a password
        "INVITATION_DAYS": 7,  # an invitation link (people/invitations.py) lives this long
        # One-time passwords hashed per job by the batch that hashes an import's passwords
        # (people/password_batch.py): each chunk is one unit of work and one progress step.
        "PASSWORD_BATCH_CHUNK": 25,  # nosec B105 - a count, not a password
        # Mail: smtp://user:password@host:587 (STARTTLS) or smtps://…:465; None writes each
        # message to instance/mail/*.eml and logs its subject and links (development).
        "MAIL_URL": None,
        "MAIL_SENDER": None,
        # Jobs: redis://… puts them on a queue run by `flask jobs worker`; None runs them in
        # the web process, on a background thread, right after the commit.
        "JOBS_URL": None,
        # The RQ queue's name; a failed job is retried after 30 s, 60 s… and after
        # JOBS_MAX_ATTEMPTS tries kept in RQ's failed-job registry (jobs/queue.py, /admin/jobs).
        "JOBS_QUEUE": "course_app",
        "JOBS_MAX_ATTEMPTS": 3,
        "JOBS_RETRY_SECONDS": 30,
        # A failed job (its arguments may hold a whole mail) is dropped from RQ's registry
        # after this many days (RQ's failure_ttl), retried or not.
        "JOBS_FAILED_DAYS": 30,
        # `flask notify purge-log` forgets mail_log rows (recipients' addresses) this old.
        "MAIL_LOG_DAYS": 365,
        # Notifications (notify/): `flask notify reminders` mails deadlines this many days
        # ahead; NOTIFY_EVENTS False stops the essay-graded and certificate mails.
        "NOTIFY_REMINDER_DAYS": 3,
        "NOTIFY_EVENTS": True,
        # The read-only API (course_app/api/): requests per key in the rate limiter's storage.
        "API_RATE_LIMIT": "120/minute",
        # xAPI: the LRS's base URL ending in /xAPI/ (None: no statement is sent), and its
        # HTTP basic key and secret (course_app/xapi/).
        "XAPI_URL": None,
        "XAPI_KEY": None,
        "XAPI_SECRET": None,
        "XAPI_TIMEOUT_SECONDS": 10,
        # Keys the trainee's opaque name on the LRS (None: the secret key, so that rotating
        # the secret key gives everyone a new name there).
        "XAPI_ACTOR_SECRET": None,
        "CONTENT_ROOT": os.getcwd(),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "ATTEMPT_GRACE_SECONDS": 60,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_MINUTES": 120,
        # The cookie is re-sent only when the session changes: security/sessions.py rewrites
        # its "seen" time at most once a minute, which keeps an active session's cookie alive.
        # Re-signing and re-sending it on every response cost each page a cookie signature.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=1),
        "WTF_CSRF_TIME_LIMIT": None,
        "CERTIFICATE_ISSUER_VI": None,
        "CERTIFICATE_ISSUER_EN": None,
        "CERTIFICATE_SIGNATORY_NAME": None,
        "CERTIFICATE_SIGNATURE_IMAGE": None,
    }


def _coerce(current: Any, raw: str) -> Any:
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int) and not isinstance(current, bool):
        return int(raw)
    return raw


def from_environment(known: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, raw in os.environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX) :]
        key = "ENV_NAME" if key == "ENV" else key
        found[key] = _coerce(known.get(key), raw)
    return found


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment(dict(app.config)))
    if overrides:
        app.config.update(overrides)
    app.config["PROXY_COUNT"] = _proxy_count(app.config["PROXY_COUNT"])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    if app.config["ENV_NAME"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        check_production(app.config)


def _proxy_count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise ConfigurationError("COURSE_APP_PROXY_COUNT must be a whole number (0 = no proxy).")
    return count


def normalise_database_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class ConfigurationError(click.ClickException, RuntimeError):
    """A setting that makes the app unsafe to serve; raised at start-up with a clear message.
    Under `flask …` commands (check-deploy among them) click prints it as one "Error:" line."""


def _debugger_requested() -> bool:
    """`flask run --debugger` asks for Werkzeug's console without FLASK_DEBUG: the command's
    own option, read from the click context the app is being loaded in."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.params.get("debugger"))


def production_problems(config: dict[str, Any]) -> list[str]:
    """Every setting that makes production unsafe to start, one sentence each."""
    problems = []
    if deploy.weak_secret(str(config.get("SECRET_KEY") or "")):
        problems.append(
            "COURSE_APP_SECRET_KEY must be set to a random value of 32+ characters with at least "
            f"{deploy.MIN_SECRET_CHARACTERS} different ones in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    if deploy.debug_requested(config, os.environ) or _debugger_requested():
        problems.append("Debug mode (COURSE_APP_DEBUG, FLASK_DEBUG, --debug or --debugger) is "
                        "refused in production: its console runs any code a visitor sends.")
    if not str(config.get("PUBLIC_URL") or "").startswith(("https://", "http://")):
        problems.append("COURSE_APP_PUBLIC_URL must be set in production (https://your.domain): "
                        "certificates are never signed with an address taken from a request.")
    workers = running_workers(config)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and workers > 1:
        problems.append(
            f"SQLite cannot serve a multi-worker production server ({workers} workers): set "
            "COURSE_APP_DATABASE_URL to PostgreSQL or run one worker."
        )
    if str(config.get("RATELIMIT_STORAGE_URI") or "").startswith("memory") and workers > 1:
        problems.append(
            f"Sign-in throttling in each worker's memory with {workers} workers would allow "
            "the limit once per worker: set COURSE_APP_RATELIMIT_STORAGE_URI=redis://… or run "
            "one worker."
        )
    return problems


def running_workers(config: dict[str, Any]) -> int:
    """The number of worker processes this app runs in: gunicorn's final count when gunicorn
    loads it (whatever set it), else WEB_CONCURRENCY or WORKERS; 1 for `flask` commands."""
    found = deploy.gunicorn_workers()
    if found:
        return found
    raw = os.environ.get("WEB_CONCURRENCY") or config.get("WORKERS") or 1
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


def refuse_unsafe_start() -> None:
    """The settings alone, checked as create_app would check them, without an app or a
    database: for gunicorn's arbiter, before any worker starts (gunicorn.conf.py)."""
    load(Flask("course_app", instance_relative_config=True), None)


def check_production(config: dict[str, Any]) -> None:
    problems = production_problems(config)
    if problems:
        raise ConfigurationError("\n".join(problems))
