"""Password recovery and invitation tokens (`purpose` reset or invite): only a hash of each
token is stored."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

PURPOSES = ("reset", "invite")


class PasswordResetToken(db.Model):
    __tablename__ = "password_reset_token"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('reset', 'invite')",
                           name="ck_password_reset_token_purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256, hex
    # "reset" (a mailed recovery link, 30 minutes) or "invite" (a new account's first password,
    # 7 days): a link of one kind is never accepted by the other's page.
    purpose: Mapped[str] = mapped_column(sa.String(16), default="reset", server_default="reset")
    # A digest of the password hash the account had when the token was made: any later password
    # change (by its owner, a trainer or another reset) makes the token useless.
    password_digest: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
