"""Notifications: what was mailed to whom (so a rerun never resends), and who turned which
kind of mail off."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

# The kinds a person may turn off; account mails (password reset, invitations) are never here.
OPTIONAL_KINDS = ("reminders", "digest")


class NotificationSent(db.Model):
    """One mail of one event to one person: `ref` names the event (a deadline, a certificate,
    a week). The unique key makes a second send of the same event impossible."""

    __tablename__ = "notification_sent"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "ref", name="uq_notification_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    ref: Mapped[str] = mapped_column(sa.String(120))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationOptOut(db.Model):
    """A person who turned off one kind of optional mail (OPTIONAL_KINDS)."""

    __tablename__ = "notification_optout"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('reminders', 'digest')", name="ck_notification_optout_kind"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
