"""Courses: the list, creating one, its outline and settings, pending changes and publishing,
images, the package download and the live Markdown preview."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..catalog.export import course_spec
from ..catalog.media import course_media
from ..catalog.snapshots import auto_minutes
from ..content.export import zip_package
from ..content.markdown import MAX_SOURCE_CHARS, render
from ..domain.errors import ServiceError
from ..domain.text import word_count
from ..extensions import db
from ..security.access import access
from . import forms, keys, summary
from . import (
    media as authoring_media,
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
from .editing import Page, edit
from .forms import too_long_message
from .views import bp, course_or_404, flash_error, message, user_id


def author_media_base(slug: str) -> str:
    return url_for("author.media_file", course_slug=slug, name="x").rsplit("/", 1)[0]


@bp.route("/")
@access("trainer")
def index() -> str:
    return render_template("author/index.html", courses=authoring.courses())


@bp.route("/courses/new", methods=["GET", "POST"])
@access("trainer")
def new_course() -> Page:
    values = forms.posted(request.form) if request.method == "POST" else {}
    parsed = forms.parse_course(values) if request.method == "POST" else None
    if parsed is not None:
        slug = keys.slug_for("course", None, values, parsed)
    if parsed is None or not parsed.ok:
        errors = parsed.errors if parsed else {}
        page = render_template("author/course_new.html", values=values, errors=errors)
        return (page, 400) if parsed else page
    try:
        course = authoring.create_course(slug, parsed.data, user_id())
    except ServiceError as error:
        db.session.rollback()
        return render_template("author/course_new.html", values=values,
                               errors={"slug": [message(error)]}), 400
    flash(_("Course created as a draft. Add a module and a lesson, then publish."), "success")
    return redirect(url_for("author.course", course_slug=course.slug))


@bp.route("/courses/<course_slug>")
@access("trainer")
def course(course_slug: str) -> str:
    found = course_or_404(course_slug)
    outline = authoring_pages.outline(found)
    publishing = summary.for_items(found, None)  # a fixed number of queries, as the outline
    return render_template("author/course.html", course=found, outline=outline,
                           publishing=publishing)


@bp.route("/courses/<course_slug>/settings", methods=["GET", "POST"])
@access("trainer")
def course_settings(course_slug: str) -> Page:
    found = course_or_404(course_slug)
    return edit(found, "course", found, parse=forms.parse_course, values_of=forms.course_values,
                template="author/course_settings.html",
                done_url=url_for("author.course", course_slug=found.slug))


@bp.route("/courses/<course_slug>/changes")
@access("trainer")
def changes(course_slug: str) -> str:
    found = course_or_404(course_slug)
    pending = authoring_publish.pending(found)
    return render_template("author/changes.html", course=found, pending=pending,
                           publishing=summary.lines(pending))


@bp.route("/courses/<course_slug>/publish", methods=["POST"])
@access("trainer")
def publish_all(course_slug: str) -> Response:
    found = course_or_404(course_slug)
    try:
        published = authoring_publish.publish(found, user_id())
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("author.changes", course_slug=course_slug))
    flash(_("%(count)s items published: trainees see them now.", count=len(published))
          if published else _("There was nothing to publish."), "success")
    return redirect(url_for("author.course", course_slug=course_slug))


@bp.route("/courses/<course_slug>/package.zip")
@access("trainer")
def package(course_slug: str) -> Response:
    found = course_or_404(course_slug)
    response = make_response(zip_package([course_spec(found)]))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slug}.zip"'
    return response


@bp.route("/courses/<course_slug>/media", methods=["GET", "POST"])
@access("trainer")
def media(course_slug: str) -> Page:
    found = course_or_404(course_slug)
    snippet, errors = None, {}
    if request.method == "POST":
        upload = request.files.get("image")
        filename, data = (upload.filename or "", upload.read()) if upload else ("", b"")
        try:
            stored = authoring_media.upload(found, filename, data, request.form.get("alt", ""))
        except ServiceError as error:
            db.session.rollback()
            errors = {"alt" if "alt" in error.code else "image": [message(error)]}
        else:
            snippet = authoring_media.markdown_for(stored, request.form.get("alt"))
    page = render_template("author/media.html", course=found, snippet=snippet, errors=errors,
                           images=authoring_media.library(found),
                           alt=request.form.get("alt", "") if errors else "")
    return (page, 400) if errors else page


@bp.route("/courses/<course_slug>/media/<name>")
@access("trainer")
def media_file(course_slug: str, name: str) -> Response:
    found = course_or_404(course_slug)
    item = course_media(found, name)
    if item is None:
        abort(404)
    response = make_response(item.data)
    response.headers["Content-Type"] = item.content_type
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/preview", methods=["POST"])
@access("trainer")
def preview() -> Response:
    """Live preview for author.js: the same renderer and sanitiser trainees get."""
    source = str(request.form.get("markdown", "")).replace("\r\n", "\n")
    if len(source) > MAX_SOURCE_CHARS:
        return jsonify({"error": str(too_long_message(len(source)))}), 413
    slug = str(request.form.get("course", ""))
    html = render(source, author_media_base(slug) if authoring.SLUG.match(slug) else None)
    return jsonify({"html": html, "words": word_count(source),
                    "minutes": auto_minutes(source)})
