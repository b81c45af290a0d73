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

from ..domain.search import matches, query_terms
from ..extensions import db
from ..models import AuditEvent, User
from . import audit_names

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
    actor: str = ""  # part of the actor's email, or words of their name (accents ignored)
    action: str = ""  # an exact action name, or a prefix ending in "." ("user.")
    since: date | None = None  # calendar days in the app's time zone, both included
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[tuple[AuditEvent, str | None, str | None]]  # the event, its actor's email, name
    sentences: list[str]  # each event as a sentence in the reader's language
    total: int
    page: int
    pages: int


def _day_start(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def matching_people(text: str) -> list[int]:
    """Ids of the accounts whose email holds `text` or whose name has its words (accents and
    case ignored: "tran van a" finds "Trần Văn A"). One query on three short columns."""
    needle, terms = text.strip().casefold(), query_terms(text)
    return [row.id for row in db.session.execute(sa.select(User.id, User.email, User.full_name))
            if needle in row.email.casefold() or matches(terms, row.full_name)]


def _conditions(filters: AuditFilter, actor_ids: list[int] | None) -> list[Any]:
    conditions: list[Any] = []
    if actor_ids is not None:
        conditions.append(AuditEvent.actor_id.in_(actor_ids))
    if filters.action.endswith("."):
        conditions.append(AuditEvent.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.since:
        conditions.append(AuditEvent.at >= _day_start(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _day_start(filters.until + timedelta(days=1)))
    return conditions


def _actor_ids(filters: AuditFilter) -> list[int] | None:
    return matching_people(filters.actor) if filters.actor.strip() else None


def _selection(filters: AuditFilter, actor_ids: list[int] | None) -> sa.Select[Any]:
    return (sa.select(AuditEvent, User.email, User.full_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(*_conditions(filters, actor_ids)))


def search_events(filters: AuditFilter, page: int = 1) -> AuditPage:
    """One page of matching events, newest first, with their sentences: a fixed number of
    queries whatever the page holds (the count, the page, the names it mentions)."""
    actor_ids = _actor_ids(filters)
    counted = sa.select(sa.func.count(AuditEvent.id)).where(*_conditions(filters, actor_ids))
    total = db.session.scalar(counted) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = [(event, email, name) for event, email, name in db.session.execute(
        _selection(filters, actor_ids).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()]
    return AuditPage(rows, audit_names.describe(rows), total, page, pages)


def known_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct()
                                   .order_by(AuditEvent.action)))


# The raw fields first (as before), then the actor's name and the event as a sentence.
EXPORT_HEADER = ("time_utc", "actor", "action", "target", "ip", "details", "actor_name",
                 "event")


def export_rows(filters: AuditFilter) -> list[list[Any]]:
    """Matching events for a spreadsheet, oldest first; the caller neutralises formulas."""
    rows = [(event, email, name) for event, email, name in db.session.execute(
        _selection(filters, _actor_ids(filters)).order_by(AuditEvent.at, AuditEvent.id)
        .limit(EXPORT_LIMIT)).all()]
    return [[event.at.strftime("%Y-%m-%dT%H:%M:%SZ"), email or "", event.action,
             event.target or "", event.ip or "",
             json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True), name or "",
             sentence] for (event, email, name), sentence in zip(
                 rows, audit_names.describe(rows), strict=True)]
