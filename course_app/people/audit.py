"""Writing and reading audit events. User-supplied text is stored as data, never formatted into
a line; pages escape it (autoescape) and exports neutralise spreadsheet formulas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from ..extensions import db
from ..models import AuditEvent, User

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def record(action: str, actor_id: int | None = None, target: str | None = None,
           **details: Any) -> AuditEvent:
    ip = request.remote_addr if has_request_context() else None
    event = AuditEvent(action=action, actor_id=actor_id, target=(target or "")[:255] or None,
                       ip=ip, details=details)
    db.session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of the actor's email
    action: str = ""  # an exact action name, or a prefix ending in "." ("user.")
    since: date | None = None  # calendar days in the app's time zone, both included
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[tuple[AuditEvent, str | None]]  # the event and its actor's email
    total: int
    page: int
    pages: int


def _day_start(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _conditions(filters: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.actor.strip():
        needle = filters.actor.strip().lower()
        conditions.append(sa.func.lower(User.email).contains(needle, autoescape=True))
    if filters.action.endswith("."):
        conditions.append(AuditEvent.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.since:
        conditions.append(AuditEvent.at >= _day_start(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _day_start(filters.until + timedelta(days=1)))
    return conditions


def _selection(filters: AuditFilter) -> sa.Select[Any]:
    return (sa.select(AuditEvent, User.email)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(*_conditions(filters)))


def search_events(filters: AuditFilter, page: int = 1) -> AuditPage:
    """One page of matching events, newest first: two queries whatever the page holds."""
    counted = sa.select(sa.func.count(AuditEvent.id)).outerjoin(
        User, User.id == AuditEvent.actor_id).where(*_conditions(filters))
    total = db.session.scalar(counted) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(_selection(filters).order_by(AuditEvent.at.desc(),
                                                           AuditEvent.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return AuditPage([(event, email) for event, email in rows], total, page, pages)


def known_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct()
                                   .order_by(AuditEvent.action)))


EXPORT_HEADER = ("time_utc", "actor", "action", "target", "ip", "details")


def export_rows(filters: AuditFilter) -> list[list[Any]]:
    """Matching events for a spreadsheet, oldest first; the caller neutralises formulas."""
    rows = db.session.execute(_selection(filters).order_by(AuditEvent.at, AuditEvent.id)
                              .limit(EXPORT_LIMIT)).all()
    return [[event.at.strftime("%Y-%m-%dT%H:%M:%SZ"), email or "", event.action,
             event.target or "", event.ip or "",
             json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True)]
            for event, email in rows]
