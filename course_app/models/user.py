"""Accounts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("trainee", "trainer", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        sa.CheckConstraint("role IN ('trainee', 'trainer', 'admin')", name="ck_user_role"),
        sa.CheckConstraint("session_version >= 1", name="ck_user_session_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str | None] = mapped_column(sa.String(200))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16), default="trainee")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moves with every change of the row (API sync, `updated_since`; migration 0021).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow)
    # Staff belong to one organisation; an admin without one administers every organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # The session version travels with the id, so bumping it ends every existing session.
        return f"{self.id}:{self.session_version}"

    @property
    def awaiting_invitation(self) -> bool:
        """Invited by mail, no password chosen yet (security/passwords.py: INVITED)."""
        return self.password_hash == "!invited"  # noqa: S105  # nosec B105 - a state, not a password

    @property
    def is_trainer(self) -> bool:
        return self.role in ("trainer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
