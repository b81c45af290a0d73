"""Quizzes: creating one, its settings, its questions with a preview of the whole quiz as a
trainee sees it, and importing GIFT or Aiken files (a preview with every error first)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..content.import_messages import LineError
from ..domain.errors import ServiceError
from ..domain.questions import get_type
from ..extensions import db
from ..models import Course, Quiz
from ..quiz.attempt_pages import ShownQuestion
from ..security.access import access
from . import forms, keys, summary
from . import pages as authoring_pages
from . import quiz_upload as authoring_import
from . import service as authoring
from .editing import Page, edit
from .messages import spec_message
from .views import bp, course_or_404, item_or_404, message, user_id

# "pass_score" is a percentage, not a secret (bandit B105 reads "pass" as password).
DEFAULT_QUIZ = {"required": True, "pass_score": 70.0,  # nosec B105
                "grading": "highest", "review": "full",
                "shuffle_questions": False, "shuffle_choices": False}


@bp.app_template_global("import_message")
def import_message(error: LineError) -> str:
    """A GIFT or Aiken parser's message about a line of the file, in the reader's language."""
    return _(error.template) % error.params


@bp.app_template_global("import_problem")
def import_problem(problem: str) -> str:
    """An imported question's problem (in English) in the reader's language: one of the import's
    own messages, or a question type's validation message."""
    translated = _(problem)
    return translated if translated != problem else spec_message(problem)


@bp.app_template_global("author_shown")
def author_shown(data: dict[str, Any] | None, key: str, number: int = 1) -> ShownQuestion | None:
    """A question as the attempt page shows it (no shuffling), or None when it is not valid."""
    if not data or not data.get("type_data"):
        return None
    shown = get_type(data["type"]).present(data["type_data"], 0, False)
    return ShownQuestion(number, key, data["type"], data["text"], data["points"], shown, None)


def _modules(course: Course) -> set[str]:
    return {m.slug for m in authoring_pages.module_options(course)}


@bp.route("/courses/<course_slug>/quizzes/new", methods=["GET", "POST"])
@access("trainer")
def new_quiz(course_slug: str) -> Page:
    course = course_or_404(course_slug)
    context = {"course": course, "row": None, "lock": 0, "stale": None, "saved": None,
               "status": "new", "modules": authoring_pages.module_options(course)}
    if request.method == "GET":
        values = forms.quiz_values({**DEFAULT_QUIZ, "module": request.args.get("module")})
        return render_template("author/quiz_settings.html", values=values, errors={}, **context)
    values = forms.posted(request.form)
    parsed = forms.parse_quiz(values, _modules(course), has_essay=False)
    slug = keys.slug_for("quiz", course, values, parsed)
    try:
        if not parsed.ok:
            raise ServiceError("invalid", "invalid")
        quiz = authoring.create_quiz(course, slug, parsed.data, user_id())
    except ServiceError as error:
        db.session.rollback()
        errors = parsed.errors or {"slug": [message(error)]}
        return render_template("author/quiz_settings.html", values=values, errors=errors,
                               **context), 400
    flash(_("Quiz created. Add its questions."), "success")
    return redirect(url_for("author.quiz", course_slug=course.slug, quiz_id=quiz.id))


@bp.route("/courses/<course_slug>/quizzes/<int:quiz_id>")
@access("trainer")
def quiz(course_slug: str, quiz_id: int) -> str:
    course = course_or_404(course_slug)
    found: Quiz = item_or_404(course, "quiz", quiz_id)
    outline = authoring_pages.outline(course)
    item = next(q for m in outline.modules for q in m.quizzes if q.row.id == found.id) \
        if found.module_id in {m.module.row.id for m in outline.modules} else \
        next(q for q in outline.loose_quizzes if q.row.id == found.id)
    return render_template("author/quiz.html", course=course, quiz=found, item=item,
                           questions=outline.questions.get(found.id, []),
                           publishing=summary.for_items(course, [("quiz", found.id)]))


@bp.route("/courses/<course_slug>/quizzes/<int:quiz_id>/settings", methods=["GET", "POST"])
@access("trainer")
def quiz_settings(course_slug: str, quiz_id: int) -> Page:
    course = course_or_404(course_slug)
    found = item_or_404(course, "quiz", quiz_id)
    essay = authoring_pages.quiz_has_essay(found)
    return edit(course, "quiz", found,
                parse=lambda values: forms.parse_quiz(values, _modules(course), essay),
                values_of=forms.quiz_values, template="author/quiz_settings.html",
                done_url=url_for("author.quiz", course_slug=course.slug, quiz_id=found.id),
                modules=authoring_pages.module_options(course))


@bp.route("/courses/<course_slug>/quizzes/<int:quiz_id>/preview")
@access("trainer")
def quiz_preview(course_slug: str, quiz_id: int) -> str:
    course = course_or_404(course_slug)
    found = item_or_404(course, "quiz", quiz_id)
    items = [item for item in authoring_pages.outline(course).questions.get(found.id, [])
             if item.status != "archived"]
    return render_template("author/quiz_preview.html", course=course, quiz=found, items=items)


@bp.route("/courses/<course_slug>/quizzes/<int:quiz_id>/import", methods=["POST"])
@access("trainer")
def import_file(course_slug: str, quiz_id: int) -> Page:
    course = course_or_404(course_slug)
    found = item_or_404(course, "quiz", quiz_id)
    fmt = request.form.get("format", "gift")
    try:
        if request.form.get("action") == "import":
            text = str(request.form.get("source", ""))
            created = authoring_import.import_questions(course, found, text, fmt, user_id())
            flash(_("%(count)s questions imported as drafts. Check them, then publish the quiz.",
                    count=len(created)), "success")
            return redirect(url_for("author.quiz", course_slug=course.slug, quiz_id=found.id))
        upload = request.files.get("file")
        text = authoring_import.read_upload(upload.read() if upload else b"")
        checked = authoring_import.preview(found, text, fmt)
    except ServiceError as error:
        db.session.rollback()
        flash(message(error), "error")
        return redirect(url_for("author.quiz", course_slug=course.slug, quiz_id=found.id))
    page = render_template("author/import_preview.html", course=course, quiz=found,
                           checked=checked, source=text, fmt=fmt)
    return page if checked.ok else (page, 400)
