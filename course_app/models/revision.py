"""Drafts and history of authored content. Trainee pages read the published columns of
Course, Module, Lesson, Quiz and Question; a trainer's unpublished changes wait here, and every
save is kept as a revision that can be restored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

CONTENT_KINDS = ("course", "module", "lesson", "quiz", "question")
REVISION_ACTIONS = ("create", "save", "publish", "restore", "import", "load")


class Authored:
    """Columns every authored row has: an optimistic-lock counter that grows on every save,
    draft or publish (a form holding an older value is stale), and when it was first published
    (None: a new item trainees have never seen)."""

    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContentDraft(db.Model):
    """The unpublished version of one item, in authoring form (see catalog/snapshots)."""

    __tablename__ = "content_draft"
    __table_args__ = (sa.UniqueConstraint("kind", "object_id", name="uq_content_draft_object"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    object_id: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id",
                                                                    ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentRevision(db.Model):
    """One save of an item: who, when, what changed (paths) and the whole content after it."""

    __tablename__ = "content_revision"
    __table_args__ = (
        sa.UniqueConstraint("kind", "object_id", "number", name="uq_content_revision_number"),
        sa.CheckConstraint("number >= 1", name="ck_content_revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    object_id: Mapped[int]
    number: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    changes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str | None] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
