"""COURSE_APP_MAIL_URL, read: `smtp://user:password@host:587` speaks STARTTLS (required),
`smtps://user:password@host:465` implicit TLS, and `smtp://host:25?tls=none` plain SMTP for a
relay on the same machine. User name and password are percent-decoded (an @ in a user name is
written %40)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

SECURITY = ("starttls", "tls", "none")


class MailSettingsError(ValueError):
    """COURSE_APP_MAIL_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    security: str  # one of SECURITY
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 20.0


def parse_mail_url(url: str) -> MailServer:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise MailSettingsError("COURSE_APP_MAIL_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise MailSettingsError("COURSE_APP_MAIL_URL names no host")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    security = "tls" if parts.scheme == "smtps" else "starttls"
    wanted = query.get("tls")
    if wanted is not None:
        if parts.scheme != "smtp" or wanted != "none":
            raise MailSettingsError("only smtp://…?tls=none turns TLS off")
        security = "none"
    try:
        port = parts.port or (465 if security == "tls" else 587 if security == "starttls" else 25)
        timeout = float(query.get("timeout", 20))
    except ValueError as error:
        raise MailSettingsError(f"COURSE_APP_MAIL_URL: {error}") from None
    return MailServer(
        host=parts.hostname, port=port, security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None, timeout=timeout)
