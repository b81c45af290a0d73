"""Authoring courses in the browser (trainers and admins). This module holds the blueprint and
what its views share; the routes live in the views_* modules beside it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..catalog.snapshots import MODELS
from ..domain.errors import NotFound, ServiceError
from ..models import Course
from . import service as authoring

bp = Blueprint("author", __name__, url_prefix="/author")

MESSAGES = {
    "bad_slug": _l("The slug uses lowercase letters a-z, digits and hyphens, e.g. bai-mot."),
    "slug_required": _l("Enter a slug, or a title to make one from."),
    "reserved_slug": _l("This word is a page of the site: choose another slug."),
    "slug_taken": _l("This slug is already used in the course: choose another one."),
    "bad_key": _l("The key uses letters, digits, _ and - only."),
    "key_taken": _l("This key is already used in the quiz: choose another one."),
    "key_clash": _l("This key clashes with the answer fields of a matching or ordering "
                    "question: choose another one."),
    "has_progress": _l("This cannot be deleted: %(count)s trainee records (lessons read or "
                       "attempts) depend on it. Archive it instead: trainees no longer see it "
                       "and their progress is kept."),
    "has_attempts": _l("This cannot be deleted: there are %(count)s attempts. Archive it "
                       "instead: trainees no longer see it and the attempts are kept."),
    "has_cohorts": _l("This course cannot be deleted: %(count)s cohorts study it. Archive it "
                      "instead."),
    "has_certificates": _l("This course cannot be deleted: %(count)s certificates were issued "
                           "for it. Archive it instead."),
    "never_published": _l("This was never published, so there is nothing to archive: delete "
                          "it instead."),
    "not_publishable": _l("Nothing was changed: the course would not pass the content check. "
                          "Fix the problems listed below first."),
    "no_alt": _l("Describe the image (alt text) for readers who cannot see it."),
    "long_alt": _l("The alt text is too long (300 characters at most)."),
    "no_file": _l("Choose an image file."),
    "too_large": _l("The file is too large."),
    "bad_type": _l("Only PNG, JPEG and WebP images can be uploaded (checked from the file's "
                   "content)."),
    "too_many": _l("Too many images share this name: rename the file."),
    "not_utf8": _l("The file is not UTF-8 text: save it as UTF-8 and try again."),
    "bad_format": _l("Choose GIFT or Aiken."),
    "import_invalid": _l("The file has errors: nothing was imported."),
    "not_movable": _l("This cannot be moved."),
}
STATUS_LABELS = {"new": _l("New, not published"), "draft": _l("Unpublished changes"),
                 "published": _l("Published"), "archived": _l("Archived")}
KIND_LABELS = {"course": _l("course"), "module": _l("module"), "lesson": _l("lesson"),
               "quiz": _l("quiz"), "question": _l("question")}


def message(error: ServiceError) -> str:
    text = MESSAGES.get(error.code)
    if text is None:
        return error.message
    return str(text) % {"count": error.params.get("count", "")}


@bp.app_template_global("author_status")
def author_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global("author_kind")
def author_kind(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def course_or_404(slug: str) -> Course:
    try:
        return authoring.get_course(slug)
    except NotFound:
        abort(404)


def item_or_404(course: Course, kind: str, object_id: int) -> Any:
    if kind not in MODELS:
        abort(404)
    try:
        return authoring.get_item(course, kind, object_id)
    except NotFound:
        abort(404)


def user_id() -> int:
    return int(current_user.id)


def lock_of(form: Any) -> int:
    """The lock version the form was opened with; a missing one is treated as stale."""
    raw = str(form.get("lock_version", ""))
    return int(raw) if raw.isdigit() else -1


def back(course: Course, default: str | None = None) -> Response:
    """Redirect to the page the form came from when it is an authoring page."""
    target = request.form.get("next", "")
    if not target.startswith("/author/") or "//" in target or "\\" in target:
        target = default or url_for("author.course", course_slug=course.slug)
    return redirect(target)


def flash_error(error: ServiceError) -> None:
    flash(message(error), "error")
    for problem in error.params.get("problems", [])[:10]:
        flash(problem, "error")


def saved_message(changed: bool) -> None:
    if changed:
        flash(_("Saved as a draft. Trainees see it once it is published."), "success")
    else:
        flash(_("Nothing changed, so nothing was saved."), "success")
