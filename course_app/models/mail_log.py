"""Every mail handed to the mail job: to whom, what kind, its subject, and whether it was
delivered (issue 20). Never the body, and never a link that carries a secret (a reset or
invitation token): `link` is kept only for notifications, to show them on the dashboard."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

MAIL_KINDS = ("password_reset", "invitation", "welcome", "reminder", "essay_graded",
              "certificate_issued", "certificate_revoked", "digest")
MAIL_STATUSES = ("queued", "delivered", "failed")


class MailLog(db.Model):
    __tablename__ = "mail_log"
    __table_args__ = (
        sa.CheckConstraint("status IN ('queued', 'delivered', 'failed')",
                           name="ck_mail_log_status"),
        sa.Index("ix_mail_log_created_at", "created_at"),
        sa.Index("ix_mail_log_user_id", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    kind: Mapped[str] = mapped_column(sa.String(32))
    subject: Mapped[str] = mapped_column(sa.String(300))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    link: Mapped[str | None] = mapped_column(sa.String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(300), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
