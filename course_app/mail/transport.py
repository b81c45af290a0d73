"""Delivering a composed message: through the SMTP server of COURSE_APP_MAIL_URL, or, with no
mail URL (development), into instance/mail/ as an .eml file with its subject and links logged,
so that one `make run` shows the whole flow."""

from __future__ import annotations

import re
import secrets
import smtplib
import ssl
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from ..extensions import db
from ..jobs.runner import Retry
from ..models import MailLog
from ..models.types import utcnow
from .settings import MailServer, parse_mail_url

LINK = re.compile(r"https?://[^\s<>\"']+")


def deliver(raw: bytes, log_id: int | None = None) -> None:
    """The job: send one message (its bytes, as composed) and record the attempt in its
    mail_log row. A message already delivered is not sent again (a job run twice). When the
    server refuses or is down the row says failed, with the error, and the job raises
    jobs.Retry so that the row is kept and the queue tries again later."""
    message = message_from_bytes(raw, policy=policy.SMTP)
    if not isinstance(message, EmailMessage):  # policy.SMTP always makes one
        raise TypeError("a composed message was expected")
    entry = db.session.get(MailLog, log_id) if log_id is not None else None
    if entry is not None and entry.status == "delivered":
        return
    url = current_app.config.get("MAIL_URL")
    try:
        if url:
            send_smtp(parse_mail_url(url), message)
        else:
            write_eml(message)
    except (smtplib.SMTPException, OSError) as error:
        if entry is None:
            raise
        entry.status, entry.attempts = "failed", entry.attempts + 1
        entry.last_error = f"{type(error).__name__}: {error}"[:300]
        raise Retry(entry.last_error) from error
    if entry is not None:
        entry.status, entry.attempts = "delivered", entry.attempts + 1
        entry.delivered_at, entry.last_error = utcnow(), None


def send_smtp(server: MailServer, message: EmailMessage) -> None:
    context = ssl.create_default_context()  # the server's certificate and name are checked
    if server.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, context=context,
                                                timeout=server.timeout)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    with client:
        client.ehlo()
        if server.security == "starttls":
            client.starttls(context=context)  # refused by the server: SMTPNotSupportedError
            client.ehlo()
        if server.username:
            client.login(server.username, server.password or "")
        client.send_message(message)


def mail_dir() -> Path:
    return Path(current_app.instance_path) / "mail"


def write_eml(message: EmailMessage) -> Path:
    folder = mail_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(message.as_bytes(policy=policy.SMTP))
    text = message.get_body(("plain",))
    links = LINK.findall(text.get_content()) if text is not None else []
    current_app.logger.warning("mail to %s written to %s: %s %s", message["To"], path,
                               message["Subject"], " ".join(links))
    return path
