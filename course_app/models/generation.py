"""The content generation: one row whose counter moves on with every change of course content
(courses, modules, lessons, quizzes, questions), in the same transaction as the change. Caches
of published content (progress/outline_cache.py) are keyed by it, so every app server drops
what it kept as soon as any of them commits a change."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

ROW_ID = 1


class ContentGeneration(db.Model):
    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=1)
