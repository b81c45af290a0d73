"""Dates that hold: a quiz's open and close times per cohort, and per-trainee overrides (as
Moodle's user overrides: a later close, more attempts, more time)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class QuizWindow(db.Model):
    __tablename__ = "quiz_window"
    __table_args__ = (
        sa.CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
                           name="ck_quiz_window_dates"),
    )

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Override(db.Model):
    """One trainee's exception in one cohort; `quiz_id` NULL means every quiz of the course."""

    __tablename__ = "override"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "user_id", "quiz_id", name="uq_override"),
        sa.CheckConstraint("extra_attempts >= 0 AND extra_minutes >= 0",
                           name="ck_override_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
