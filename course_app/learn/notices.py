"""The trainee's recent notifications on their dashboard (issue 20): the last few mails of the
notification kinds sent to them (welcome, reminder, essay graded, certificate issued or
revoked), read from mail_log in one query, each shown as a short sentence in the reader's
language with its link and date. Account mails (password reset, invitation) carry secrets and
are never listed; their links are not even kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..database import rows
from ..models import MailLog

LIMIT = 5
SENTENCES = {
    "welcome": _l("You were enrolled in a new class."),
    "reminder": _l("A deadline is coming."),
    "essay_graded": _l("Your essay has been graded."),
    "certificate_issued": _l("Your certificate is ready."),
    "certificate_revoked": _l("Your certificate has been revoked."),
}


@dataclass(frozen=True)
class Notice:
    kind: str
    link: str | None
    at: datetime

    @property
    def sentence(self) -> str:
        return str(SENTENCES[self.kind])


def _local(link: str | None) -> str | None:
    """A link of this site as a path (the mail held the public address)."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if link and base and link.startswith(base + "/"):
        return link[len(base):]
    return link


def recent(user_id: int, limit: int = LIMIT) -> list[Notice]:
    """The person's last `limit` notifications, newest first (one query)."""
    found = rows(sa.select(MailLog.kind, MailLog.link, MailLog.created_at)
                 .where(MailLog.user_id == sa.bindparam("user_id"),
                        MailLog.kind.in_(list(SENTENCES)))
                 .order_by(MailLog.created_at.desc(), MailLog.id.desc()).limit(limit),
                 {"user_id": user_id})
    return [Notice(row.kind, _local(row.link), row.created_at) for row in found]
