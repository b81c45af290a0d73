"""Writing audit events. User-supplied text is stored as data, never formatted into a line."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from ..extensions import db
from ..models import AuditEvent


def record(action: str, actor_id: int | None = None, target: str | None = None,
           **details: Any) -> AuditEvent:
    ip = request.remote_addr if has_request_context() else None
    event = AuditEvent(action=action, actor_id=actor_id, target=(target or "")[:255] or None,
                       ip=ip, details=details)
    db.session.add(event)
    return event
