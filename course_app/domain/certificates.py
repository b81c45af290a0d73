"""Certificate rules without the database: which random codes may be handed out, and what
state a certificate is in (the one rule /verify, the PDF, dashboards and exports share)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime


def may_hand_out(code: str) -> bool:
    """A new code never begins with "-": on a command line it would read as an option."""
    return bool(code) and not code.startswith("-")


def new_code(draw: Callable[[], str]) -> str:
    """The first code drawn by `draw` that may be handed out (1 draw in 64 is redrawn)."""
    while True:
        code = draw()
        if may_hand_out(code):
            return code


def state(status: str, expires_at: datetime | None, now: datetime) -> str:
    """valid | revoked | superseded | expired: a valid certificate past its validity has
    expired (at the moment `expires_at` itself)."""
    if status == "valid" and expires_at is not None and expires_at <= now:
        return "expired"
    return status
