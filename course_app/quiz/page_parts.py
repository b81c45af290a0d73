"""Parts of the attempt page kept with the open attempt (quiz/attempt_snapshots.py): a
question's HTML is made again only when what it shows changes (the reader's language, the
shuffle setting, the saved response or its error). Reopening the page after a save remakes only
the questions whose answer changed; each question's widget was an eighth of the page."""

from __future__ import annotations

from markupsafe import Markup

from ..i18n import current_language
from . import attempt_snapshots
from .attempt_pages import ShownQuestion
from .widgets import attempt_question


def kept_attempt_question(attempt: attempt_snapshots.SnapshotOwner, shuffle_choices: bool,
                          q: ShownQuestion) -> Markup:
    # repr, not ==: a response and its repr determine each other for JSON values, and a tuple
    # of strings compares cheaply.
    variant = (current_language(), shuffle_choices, repr(q.response), q.error)
    return attempt_snapshots.made(attempt, q.key, variant, lambda: attempt_question(q))
