"""Drafts and revisions: every save of an item is kept (who, when, what changed, the content
after it); the latest unpublished content waits in a draft until it is published."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..domain.errors import NotFound
from ..extensions import db
from ..models import ContentDraft, ContentRevision, User
from ..models.types import utcnow
from .snapshots import changed_paths, snapshot


def is_visible(kind: str, row: Any) -> bool:
    """Whether trainees see the row: questions are `active`, everything else not `archived`."""
    return bool(row.active) if kind == "question" else not row.archived


def is_new(kind: str, row: Any) -> bool:
    """Never published: trainees have never seen it (its published columns are placeholders)."""
    return row.published_at is None and not is_visible(kind, row)


def status(kind: str, row: Any, has_draft: bool) -> str:
    """new | draft (published, with unpublished changes) | published | archived."""
    if is_new(kind, row):
        return "new"
    if not is_visible(kind, row):
        return "archived"
    return "draft" if has_draft else "published"


def get_draft(kind: str, object_id: int) -> ContentDraft | None:
    return db.session.scalar(sa.select(ContentDraft).where(
        ContentDraft.kind == kind, ContentDraft.object_id == object_id))


def published_data(kind: str, row: Any) -> dict[str, Any] | None:
    """What trainees see now, or None for a new item."""
    return None if is_new(kind, row) else snapshot(kind, row)


def current_data(kind: str, row: Any) -> dict[str, Any]:
    """What an editor opens: the draft when there is one, else the published content."""
    draft = get_draft(kind, row.id)
    return copy.deepcopy(draft.data) if draft is not None else snapshot(kind, row)


def latest_revision(kind: str, object_id: int) -> ContentRevision | None:
    return db.session.scalar(sa.select(ContentRevision).where(
        ContentRevision.kind == kind, ContentRevision.object_id == object_id)
        .order_by(ContentRevision.number.desc()).limit(1))


def record(course_id: int, kind: str, object_id: int, action: str, data: dict[str, Any],
           author_id: int | None, note: str | None = None,
           previous: ContentRevision | None = None, first: bool = False) -> ContentRevision:
    """Keep one revision; `first` skips looking for an earlier one (a row created just now)."""
    if previous is None and not first:
        previous = latest_revision(kind, object_id)
    revision = ContentRevision(
        course_id=course_id, kind=kind, object_id=object_id,
        number=(previous.number + 1) if previous else 1, action=action,
        data=copy.deepcopy(data), changes=changed_paths(previous.data if previous else None, data),
        note=(note or "")[:200] or None, author_id=author_id, created_at=utcnow())
    db.session.add(revision)
    return revision


def save_draft(course_id: int, kind: str, row: Any, data: dict[str, Any], author_id: int | None,
               action: str = "save", note: str | None = None) -> bool:
    """Keep `data` as the item's unpublished version; False when nothing changed."""
    draft = get_draft(kind, row.id)
    before = draft.data if draft is not None else snapshot(kind, row)
    if data == before and action == "save":
        return False
    if not is_new(kind, row) and data == snapshot(kind, row):
        if draft is not None:  # back to the published content: nothing is pending any more
            db.session.delete(draft)
    elif draft is None:
        db.session.add(ContentDraft(course_id=course_id, kind=kind, object_id=row.id,
                                    data=copy.deepcopy(data), updated_by_id=author_id,
                                    updated_at=utcnow()))
    else:
        draft.data, draft.updated_by_id, draft.updated_at = copy.deepcopy(data), author_id, utcnow()
    record(course_id, kind, row.id, action, data, author_id, note)
    db.session.flush()
    return True


@dataclass
class RevisionRow:
    revision: ContentRevision
    author: str | None


def history(kind: str, object_id: int) -> list[RevisionRow]:
    """Revisions newest first, with their authors' names, in one query."""
    rows = db.session.execute(
        sa.select(ContentRevision, User.full_name)
        .outerjoin(User, User.id == ContentRevision.author_id)
        .where(ContentRevision.kind == kind, ContentRevision.object_id == object_id)
        .order_by(ContentRevision.number.desc())).all()
    return [RevisionRow(revision, name) for revision, name in rows]


def get_revision(kind: str, object_id: int, number: int) -> ContentRevision:
    revision = db.session.scalar(sa.select(ContentRevision).where(
        ContentRevision.kind == kind, ContentRevision.object_id == object_id,
        ContentRevision.number == number))
    if revision is None:
        raise NotFound("revision")
    return revision


def restore(course_id: int, kind: str, row: Any, number: int, author_id: int | None) -> bool:
    """Make an old revision's content the draft again (a new revision says so)."""
    revision = get_revision(kind, row.id, number)
    return save_draft(course_id, kind, row, revision.data, author_id, action="restore",
                      note=f"#{number}")


def forget(kind: str, object_ids: list[int]) -> None:
    """Drop the drafts and history of deleted items (ids may be reused later)."""
    if not object_ids:
        return
    for model in (ContentDraft, ContentRevision):
        db.session.execute(sa.delete(model).where(model.kind == kind,
                                                  model.object_id.in_(object_ids)))
