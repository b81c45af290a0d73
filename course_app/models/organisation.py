"""Training organisations (a city's steering committee, a department, a school): they offer
courses, own cohorts and staff, and issue the certificates of their cohorts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

IMAGE_KINDS = ("logo", "signature", "seal")

course_offering = sa.Table(
    "course_offering",
    db.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("course_id", sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # {vi, en}
    signatory_name: Mapped[str | None] = mapped_column(sa.String(200))
    signatory_title: Mapped[str | None] = mapped_column(sa.String(200))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves with every change of the row (API sync, `updated_since`; migration 0021).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow)

    courses: Mapped[list[Any]] = relationship("Course", secondary=course_offering)


class OrganisationImage(db.Model):
    """A logo, signature or seal image, kept in the database like course media so every app
    server can serve it and a backup holds it."""

    __tablename__ = "organisation_image"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('logo', 'signature', 'seal')", name="ck_organisation_image"),
    )

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IssuerImage(db.Model):
    """An image a certificate was issued with, by its SHA-256: written once, never changed or
    deleted, so a certificate's PDF keeps the signature and seal it was issued with after the
    organisation replaces them (certificates/issuers.py)."""

    __tablename__ = "issuer_image"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
