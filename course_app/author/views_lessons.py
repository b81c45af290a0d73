"""Modules and lessons. The lesson editor shows the Vietnamese and English texts side by side
with a preview rendered by the server (the same renderer and sanitiser trainees get), the
reading time, and an image upload that adds the image's Markdown to the text."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog.snapshots import auto_minutes
from ..content.markdown import render
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Course, Module
from ..security.access import access
from . import forms, keys
from . import media as authoring_media
from . import service as authoring
from .editing import Page, edit
from .views import bp, course_or_404, item_or_404, message, user_id
from .views_courses import author_media_base


@bp.route("/courses/<course_slug>/modules/new", methods=["GET", "POST"])
@access("trainer")
def new_module(course_slug: str) -> Page:
    course = course_or_404(course_slug)
    if request.method == "GET":
        return render_template("author/module_form.html", course=course, row=None, values={},
                               errors={}, lock=0, stale=None, saved=None, status="new")
    values = forms.posted(request.form)
    parsed = forms.parse_module(values)
    slug = keys.slug_for("module", course, values, parsed)
    try:
        if not parsed.ok:
            raise ServiceError("invalid", "invalid")
        module = authoring.create_module(course, slug, parsed.data, user_id())
    except ServiceError as error:
        db.session.rollback()
        errors = parsed.errors or {"slug": [message(error)]}
        return render_template("author/module_form.html", course=course, row=None,
                               values=values, errors=errors, lock=0, stale=None, saved=None,
                               status="new"), 400
    flash(_("Module created. Add its first lesson."), "success")
    return redirect(url_for("author.new_lesson", course_slug=course.slug, module_id=module.id))


@bp.route("/courses/<course_slug>/modules/<int:module_id>", methods=["GET", "POST"])
@access("trainer")
def edit_module(course_slug: str, module_id: int) -> Page:
    course = course_or_404(course_slug)
    module = item_or_404(course, "module", module_id)
    return edit(course, "module", module, parse=forms.parse_module, values_of=forms.module_values,
                template="author/module_form.html",
                done_url=url_for("author.course", course_slug=course.slug))


@bp.app_template_global("author_render")
def author_render(source: str | None, course_slug: str) -> str:
    """A lesson text as trainees will see it; images come from the authoring route."""
    return render(source or "", author_media_base(course_slug))


@bp.app_template_global("author_minutes")
def author_minutes(body: str | None) -> int:
    return auto_minutes(body or "")


def _lesson_page(course: Course, module: Module, **context: Any) -> str:
    return render_template("author/lesson_form.html", course=course, module=module, row=None,
                           images=authoring_media.library(course), lock=0, stale=None,
                           saved=None, status="new", **context)


@bp.route("/courses/<course_slug>/modules/<int:module_id>/lessons/new",
          methods=["GET", "POST"])
@access("trainer")
def new_lesson(course_slug: str, module_id: int) -> Page:
    course = course_or_404(course_slug)
    module = item_or_404(course, "module", module_id)
    if request.method == "GET":
        return _lesson_page(course, module, values={}, errors={}, preview=None)
    values = forms.posted(request.form)
    uploaded = _upload(course, values)
    if uploaded is not None:
        page = _lesson_page(course, module, values=values, errors=uploaded, preview=None)
        return (page, 400) if uploaded else page
    parsed = forms.parse_lesson(values, authoring_media.media_names(course))
    slug = keys.slug_for("lesson", course, values, parsed)
    if request.form.get("action") == "preview" or not parsed.ok:
        page = _lesson_page(course, module, values=values, errors=parsed.errors,
                            preview=parsed.data if parsed.ok else None)
        return (page, 400) if parsed.errors else page
    try:
        lesson = authoring.create_lesson(course, module, slug, parsed.data, user_id())
    except ServiceError as error:
        db.session.rollback()
        return _lesson_page(course, module, values=values, errors={"slug": [message(error)]},
                            preview=None), 400
    flash(_("Lesson saved as a draft. Preview it, then publish it."), "success")
    return redirect(url_for("author.edit_lesson", course_slug=course.slug, lesson_id=lesson.id))


def _upload(course: Course, values: dict[str, str]) -> dict[str, list[str]] | None:
    """The editor's "Upload image" button: store the image and add its Markdown to the text.
    Returns errors (maybe none) when the button was pressed, else None."""
    if request.form.get("action") != "upload":
        return None
    image = request.files.get("image")
    filename, data = (image.filename or "", image.read()) if image else ("", b"")
    try:
        stored = authoring_media.upload(course, filename, data, values.get("image_alt", ""))
    except ServiceError as error:
        db.session.rollback()
        return {"image_alt" if "alt" in error.code else "image": [message(error)]}
    lang = "en" if values.get("image_lang") == "en" else "vi"
    snippet = authoring_media.markdown_for(stored, values.get("image_alt"))
    values[f"body-{lang}"] = values.get(f"body-{lang}", "").rstrip("\n") + "\n\n" + snippet + "\n"
    values["image_alt"] = ""
    flash(_("Image uploaded and added at the end of the text. Move it where it belongs, then "
            "save."), "success")
    return {}


@bp.route("/courses/<course_slug>/lessons/<int:lesson_id>", methods=["GET", "POST"])
@access("trainer")
def edit_lesson(course_slug: str, lesson_id: int) -> Page:
    course = course_or_404(course_slug)
    lesson = item_or_404(course, "lesson", lesson_id)
    module = db.session.get(Module, lesson.module_id)
    media = authoring_media.media_names(course)
    return edit(course, "lesson", lesson,
                parse=lambda values: forms.parse_lesson(values, media),
                values_of=forms.lesson_values, template="author/lesson_form.html",
                done_url=url_for("author.edit_lesson", course_slug=course.slug,
                                 lesson_id=lesson.id),
                hook=lambda values: _upload(course, values), module=module,
                images=authoring_media.library(course))
