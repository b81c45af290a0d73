"""Questions: a form per question type, validated by the type's own normalise(), with a preview
exactly as a trainee sees it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog import history
from ..domain.errors import ServiceError
from ..domain.questions import QUESTION_TYPES
from ..extensions import db
from ..models import Quiz
from ..security.access import access
from . import keys, pages
from . import service as authoring
from .editing import Page, edit
from .question_forms import parse_question, question_values, row_count
from .rubric_form import criterion_rows, level_rows
from .views import bp, course_or_404, item_or_404, message, user_id


@bp.app_template_global("author_rows")
def author_rows(values: dict[str, str], list_name: str, minimum: int) -> int:
    return row_count(values, list_name, minimum)


@bp.app_template_global("rubric_rows")
def rubric_rows(values: dict[str, str], criterion: int | None = None) -> int:
    """Rows of an essay's rubric grid to show: criteria, or the levels of one criterion."""
    return criterion_rows(values) if criterion is None else level_rows(values, criterion)


@bp.route("/courses/<course_slug>/quizzes/<int:quiz_id>/questions/new",
          methods=["GET", "POST"])
@access("trainer")
def new_question(course_slug: str, quiz_id: int) -> Page:
    course = course_or_404(course_slug)
    quiz = item_or_404(course, "quiz", quiz_id)
    kind = request.values.get("type", "")
    if kind not in QUESTION_TYPES:
        abort(404)
    context = {"course": course, "quiz": quiz, "row": None, "type": kind, "lock": 0,
               "stale": None, "saved": None, "status": "new"}
    if request.method == "GET":
        values = {"points": "1"}
        return render_template("author/question_form.html", values=values, errors={},
                               preview=None, **context)
    values = {name: str(request.form.get(name, "")).replace("\r\n", "\n")
              for name in request.form}
    parsed = parse_question(values, kind)
    required = history.current_data("quiz", quiz)["required"]
    if parsed.ok and not pages.may_add_to(quiz, required, kind, parsed.data["type_data"]):
        parsed.error("", _("A required quiz holds essays only as a capstone: every question an "
                           "essay with a rubric grid, so that certificates wait for a grade by "
                           "design. Give this essay a rubric grid, or make the quiz optional "
                           "first."))
    key = keys.key_for(quiz, kind, values, parsed)
    if request.form.get("action") == "preview" or not parsed.ok:
        page = render_template("author/question_form.html", values=values, errors=parsed.errors,
                               preview=parsed.data if parsed.ok else None, **context)
        return (page, 400) if parsed.errors else page
    try:
        question = authoring.create_question(course, quiz, key, parsed.data, user_id())
    except ServiceError as error:
        db.session.rollback()
        return render_template("author/question_form.html", values=values,
                               errors={"key": [message(error)]}, preview=None, **context), 400
    flash(_("Question saved as a draft."), "success")
    return redirect(url_for("author.edit_question", course_slug=course.slug,
                            question_id=question.id))


@bp.route("/courses/<course_slug>/questions/<int:question_id>", methods=["GET", "POST"])
@access("trainer")
def edit_question(course_slug: str, question_id: int) -> Page:
    course = course_or_404(course_slug)
    question = item_or_404(course, "question", question_id)
    quiz = db.session.get(Quiz, question.quiz_id)
    return edit(course, "question", question,
                parse=lambda values: parse_question(values, question.type),
                values_of=question_values, template="author/question_form.html",
                done_url=url_for("author.edit_question", course_slug=course.slug,
                                 question_id=question.id),
                quiz=quiz, type=question.type)
