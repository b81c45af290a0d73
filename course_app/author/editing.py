"""The edit cycle every authoring form shares: show the draft (or the published content),
validate what is posted, preview without saving, refuse a stale form, save as a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..catalog import history
from ..extensions import db
from ..i18n import local_datetime
from ..models import Course
from . import summary
from .forms import Parsed, posted
from .pages import last_saved
from .service import Stale, claim
from .views import lock_of, saved_message, user_id

Page = str | Response | tuple[str, int]


def stale_message(kind: str, object_id: int) -> str:
    found = last_saved(kind, object_id)
    who = (found[1] if found else None) or _("someone else")
    when = local_datetime(found[0].created_at, "short") if found else ""
    return _("%(who)s saved this at %(when)s, after you opened the form. Your changes were NOT "
             "saved: they are still in the form below. Copy what you need, reload the page to "
             "get the latest version, and make your changes again.", who=who, when=when)


def edit(course: Course, kind: str, row: Any, *, parse: Callable[[dict[str, str]], Parsed],
         values_of: Callable[[dict[str, Any]], dict[str, str]], template: str,
         done_url: str, hook: Callable[[dict[str, str]], dict[str, list[str]] | None] | None = None,
         **context: Any) -> Page:
    """`hook(values)` may handle an extra button (it returns the errors to show, or None to
    carry on with preview or save)."""
    def page(values: dict[str, str], errors: dict[str, list[str]], lock: int,
             preview: dict[str, Any] | None, stale: str | None = None) -> str:
        status = history.status(kind, row, history.get_draft(kind, row.id) is not None)
        publishing = summary.for_items(course, [(kind, row.id)]) \
            if status in ("new", "draft") or kind == "quiz" else []
        return render_template(template, course=course, row=row, kind=kind, values=values,
                               errors=errors, lock=lock, preview=preview, stale=stale,
                               saved=last_saved(kind, row.id) if row is not None else None,
                               status=status, publishing=publishing, **context)

    if request.method == "GET":
        data = history.current_data(kind, row)
        return page(values_of(data), {}, row.lock_version, data)
    values = posted(request.form)
    lock = lock_of(request.form)
    handled = hook(values) if hook is not None else None
    if handled is not None:
        return (page(values, handled, lock, None), 400) if handled else \
            page(values, {}, lock, None)
    parsed = parse(values)
    if not parsed.ok:
        return page(values, parsed.errors, lock, None), 400
    if request.form.get("action") == "preview":
        return page(values, {}, lock, parsed.data)
    if parsed.data == history.current_data(kind, row):
        flash(_("Nothing changed, so nothing was saved."), "success")
        return redirect(done_url)
    try:
        claim(kind, row, lock)
    except Stale:
        db.session.rollback()
        return page(values, {}, lock, parsed.data, stale_message(kind, row.id)), 409
    saved_message(history.save_draft(course.id, kind, row, parsed.data, user_id()))
    return redirect(done_url)
