"""A batch of one-time passwords being hashed at full strength by a background job (the
credentials sheet of a roster import): only its progress is stored here, never a password."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

BATCH_STATUSES = ("running", "done", "failed")


class PasswordBatch(db.Model):
    __tablename__ = "password_batch"
    __table_args__ = (
        sa.CheckConstraint("status IN ('running', 'done', 'failed')",
                           name="ck_password_batch_status"),
        sa.CheckConstraint("done >= 0 AND done <= total", name="ck_password_batch_done"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="running")
    error: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
