"""Who gets which optional mail (reminders, digests), and the record of what was sent."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import NotificationOptOut, NotificationSent, User
from ..models.notification import OPTIONAL_KINDS
from ..people import audit


def turned_off(user_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(NotificationOptOut.kind)
                                  .where(NotificationOptOut.user_id == user_id)))


def opted_out_ids(kind: str) -> set[int]:
    return set(db.session.scalars(sa.select(NotificationOptOut.user_id)
                                  .where(NotificationOptOut.kind == kind)))


def wants(user_id: int, kind: str) -> bool:
    return kind not in turned_off(user_id)


def _turn(user_id: int, kind: str, on: bool) -> bool:
    """Turn one kind on or off; True when that changed anything."""
    if on:
        result = db.session.execute(sa.delete(NotificationOptOut).where(
            NotificationOptOut.user_id == user_id, NotificationOptOut.kind == kind))
        return bool(result.rowcount)  # type: ignore[attr-defined]
    try:
        with db.session.begin_nested():
            db.session.add(NotificationOptOut(user_id=user_id, kind=kind))
    except IntegrityError:  # off already (perhaps by a second click a moment ago)
        return False
    return True


def save(user: User, wanted: dict[str, bool]) -> list[str]:
    """The settings page: each optional kind on or off; returns the kinds changed (audited)."""
    changed = [kind for kind in OPTIONAL_KINDS
               if kind in wanted and _turn(user.id, kind, wanted[kind])]
    if changed:
        audit.record("notify.preferences", user.id, f"user:{user.id}",
                     **{kind: wanted[kind] for kind in changed})
    return changed


def unsubscribe(user_id: int, kind: str) -> bool:
    """The one-click link: turn `kind` off; True when it was on."""
    changed = _turn(user_id, kind, on=False)
    if changed:
        audit.record("notify.unsubscribe", user_id, f"user:{user_id}", kind=kind)
    return changed


def claim(user_id: int, kind: str, ref: str) -> bool:
    """Record that this event's mail goes to this person; False when it was recorded before
    (by an earlier run, or by a twin job a moment ago): the caller sends nothing then."""
    try:
        with db.session.begin_nested():
            db.session.add(NotificationSent(user_id=user_id, kind=kind, ref=ref[:120]))
    except IntegrityError:
        return False
    return True


def already_sent(kind: str, refs: set[str]) -> set[tuple[int, str]]:
    """(user id, ref) pairs among `refs` recorded as sent."""
    if not refs:
        return set()
    rows = db.session.execute(sa.select(NotificationSent.user_id, NotificationSent.ref).where(
        NotificationSent.kind == kind, NotificationSent.ref.in_(refs)))
    return {(row.user_id, row.ref) for row in rows}


def count_sent(kind: str, pairs: list[tuple[int, str]]) -> int:
    """How many of these (user id, ref) events are recorded as mailed (a command's result)."""
    found = already_sent(kind, {ref for _, ref in pairs})
    return sum(1 for pair in pairs if pair in found)
