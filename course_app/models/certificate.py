"""Certificates. The certified fields are copied at issue time so a later rename of the
holder or the course never changes what was certified."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

CERTIFICATE_STATUSES = ("valid", "revoked", "superseded")


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        sa.CheckConstraint("status IN ('valid', 'revoked', 'superseded')",
                           name="ck_certificate_status"),
        # One current certificate per trainee and course.
        sa.Index("uq_certificate_current", "user_id", "course_id", unique=True,
                 sqlite_where=sa.text("status = 'valid'"),
                 postgresql_where=sa.text("status = 'valid'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(sa.String(16), default="valid")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    holder_unit: Mapped[str | None] = mapped_column(sa.String(200))
    course_title: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    hours: Mapped[float | None]
    score: Mapped[float | None]
    issue_reason: Mapped[str | None] = mapped_column(sa.Text)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Moves with every change of the row (API sync, `updated_since`; migration 0021).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow)
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="SET NULL")
    )
    # The issuing body as printed ({vi, en}): copied at issue time like the other certified
    # fields, so a later change of course.yaml never rewrites an issued certificate.
    issuer: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # True when the course's required capstone was graded passing before it was issued
    # (domain/completion.py); NULL for a course without a capstone or a manual issue.
    capstone_assessed: Mapped[bool | None] = mapped_column(nullable=True)
    # The organisation whose cohort earned it (NULL: the course file's issuer); its admins
    # manage the certificate and its signature and seal images are printed on it.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
