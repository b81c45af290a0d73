"""Actions every kind of item shares: move, archive, bring back, delete, publish, and its
history with restore. The kind is part of the URL (course, module, lesson, quiz, question)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..catalog import history
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..people import audit
from ..security.access import access
from . import (
    lifecycle as authoring_lifecycle,
)
from . import (
    pages as authoring_pages,
)
from . import (
    publish as authoring_publish,
)
from . import (
    service as authoring,
)
from .editing import stale_message
from .service import Stale
from .views import back, bp, course_or_404, flash_error, item_or_404, lock_of, user_id

ITEM = "/courses/<course_slug>/<any(course, module, lesson, quiz, question):kind>/<int:item_id>"


@bp.route(ITEM + "/move", methods=["POST"])
@access("trainer")
def move(course_slug: str, kind: str, item_id: int) -> Response:
    course = course_or_404(course_slug)
    row = item_or_404(course, kind, item_id)
    try:
        authoring.move(kind, row, request.form.get("direction", ""))
    except ServiceError as error:
        flash_error(error)
    return back(course)


def _lifecycle(course_slug: str, kind: str, item_id: int, action: str) -> Response:
    course = course_or_404(course_slug)
    row = item_or_404(course, kind, item_id)
    try:
        if action == "delete":
            authoring_lifecycle.delete(kind, row)
        else:
            authoring_lifecycle.set_archived(kind, row, action == "archive")
        if kind != "course" and not course.archived:
            authoring_publish.check_or_refuse(course)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return back(course)
    audit.record(f"content.{action}", user_id(), f"course:{course_slug}", item=f"{kind}:{item_id}")
    flash({"delete": _("Deleted."), "archive": _("Archived: trainees no longer see it."),
           "unarchive": _("Brought back: trainees see it again.")}[action], "success")
    if action == "delete" and kind == "course":
        return back(course, url_for("author.index"))
    return back(course)


@bp.route(ITEM + "/archive", methods=["POST"])
@access("trainer")
def archive(course_slug: str, kind: str, item_id: int) -> Response:
    return _lifecycle(course_slug, kind, item_id, "archive")


@bp.route(ITEM + "/unarchive", methods=["POST"])
@access("trainer")
def unarchive(course_slug: str, kind: str, item_id: int) -> Response:
    return _lifecycle(course_slug, kind, item_id, "unarchive")


@bp.route(ITEM + "/delete", methods=["POST"])
@access("trainer")
def delete(course_slug: str, kind: str, item_id: int) -> Response:
    return _lifecycle(course_slug, kind, item_id, "delete")


@bp.route(ITEM + "/publish", methods=["POST"])
@access("trainer")
def publish(course_slug: str, kind: str, item_id: int) -> Response:
    course = course_or_404(course_slug)
    item_or_404(course, kind, item_id)
    try:
        published = authoring_publish.publish(course, user_id(), [(kind, item_id)])
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return back(course)
    flash(_("%(count)s items published: trainees see them now.", count=len(published))
          if published else _("There was nothing to publish."), "success")
    return back(course)


@bp.route(ITEM + "/history")
@access("trainer")
def item_history(course_slug: str, kind: str, item_id: int) -> str:
    course = course_or_404(course_slug)
    row = item_or_404(course, kind, item_id)
    return render_template("author/history.html", course=course, kind=kind, row=row,
                           entries=authoring_pages.history_entries(kind, row.id))


@bp.route(ITEM + "/revisions/<int:number>/restore", methods=["POST"])
@access("trainer")
def restore(course_slug: str, kind: str, item_id: int, number: int) -> Response | tuple[str, int]:
    course = course_or_404(course_slug)
    row = item_or_404(course, kind, item_id)
    try:
        authoring.claim(kind, row, lock_of(request.form))
        history.restore(course.id, kind, row, number, user_id())
    except Stale:
        db.session.rollback()
        flash(stale_message(kind, row.id), "error")
        return back(course)
    except NotFound:
        db.session.rollback()
        return back(course)
    flash(_("Revision %(number)s is the draft again. Publish it when it is ready.",
            number=number), "success")
    return back(course)
