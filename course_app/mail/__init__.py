"""Mail: `compose` builds a message in the recipient's language (text and HTML, from the Jinja
templates mail/<name>.txt and mail/<name>.html), `send` hands it to a job that delivers it once
the request's transaction has committed (jobs/). A mail that fails never undoes the database
work it follows, and a request that rolls back sends nothing."""

from __future__ import annotations

from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from .. import jobs
from ..extensions import db
from ..models import Course, MailLog
from ..models.types import utcnow
from . import transport


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a mail: COURSE_APP_PUBLIC_URL, never the request's Host header (a
    forged one would otherwise put an attacker's address in front of a reset token)."""
    base = str(current_app.config.get("PUBLIC_URL") or "http://localhost:5000").rstrip("/")
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def sender_address() -> str:
    configured = current_app.config.get("MAIL_SENDER")
    if configured:
        return str(configured)
    host = urlsplit(str(current_app.config.get("PUBLIC_URL") or "")).hostname or "localhost"
    return f"no-reply@{host}"


def organisation(locale: str) -> str:
    """The sender's name: the organisation that issues the courses, in the reader's language
    (COURSE_APP_CERTIFICATE_ISSUER_VI/_EN, else the first course's certificate issuer)."""
    configured = current_app.config.get(f"CERTIFICATE_ISSUER_{locale.upper()}") or \
        current_app.config.get("CERTIFICATE_ISSUER_VI")
    if configured:
        return str(configured)
    block = db.session.scalar(sa.select(Course.certificate).order_by(Course.id).limit(1)) or {}
    issuer = block.get("issuer") or {}
    if isinstance(issuer, str):
        return issuer
    return str(issuer.get(locale) or issuer.get("vi") or "course_app")


def recipient_locale(stored: str | None) -> str:
    locales = current_app.config["LOCALES"]
    return stored if stored in locales else str(current_app.config["DEFAULT_LOCALE"])


def compose(to: str, locale: str, template: str, subject: Any, name: str = "",
            sender: str | None = None, **context: Any) -> EmailMessage:
    """The message in `locale`; `subject` is a lazy string, read in that language. `sender`:
    the sender's name when it is not the default organisation (say, a cohort's own)."""
    with force_locale(locale):
        title = str(subject)
        values = {"subject": title, "locale": locale, "name": name, **context}
        text = render_template(f"mail/{template}.txt", **values)
        html = render_template(f"mail/{template}.html", **values)
        sender = sender or organisation(locale)
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = formataddr((sender, sender_address()))
    message["To"] = Address(display_name=name, addr_spec=to) if name else to
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender_address().rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after the content: set_content drops Content-*
    return message


def send(message: EmailMessage, kind: str, user_id: int | None = None,
         link: str | None = None) -> None:
    """Record the mail in mail_log (queued) and deliver it after the current transaction
    commits (a job; see jobs/ and transport.deliver, which marks the row delivered or failed).
    `link`: the mail's main link, kept for the dashboard; never one that carries a secret."""
    entry = MailLog(recipient=str(message["To"].addresses[0].addr_spec)[:320], kind=kind,
                    subject=str(message["Subject"] or "")[:300], user_id=user_id,
                    link=link[:500] if link else None, status="queued", attempts=0)
    db.session.add(entry)
    db.session.flush()
    jobs.enqueue(transport.deliver, raw=bytes(message), log_id=entry.id)


def purge_log(days: int) -> int:
    """Forget the mail_log rows older than `days` days (addresses of people who may have left);
    flushes, returns how many went."""
    cutoff = utcnow() - timedelta(days=days)
    gone = db.session.execute(sa.delete(MailLog).where(MailLog.created_at < cutoff))
    return int(gone.rowcount or 0)
