"""Notifications by mail (issue 20): essay graded and certificate ready (hooks.py → events.py),
deadline reminders (reminders.py) and the trainers' daily digest (digest.py), run as jobs;
the settings page and the one-click unsubscribe link (views.py, tokens.py)."""

from . import headers
from .views import bp

headers.install()

__all__ = ["bp"]
