"""Manual grading of essays and regrading after a corrected key (trainers)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..i18n import percent
from ..security.access import access
from . import forms, pages, regrading
from . import service as grading

bp = Blueprint("grading", __name__, url_prefix="/grading")


def _context(attempt_id: int) -> grading.GradingContext:
    try:
        return grading.grading_context(current_user, attempt_id)
    except NotFound:
        abort(404)


def _regrade_choice() -> bool:
    """True for "regrade with the current key"; 400 for anything but the two choices."""
    choice = request.form.get("key")
    if choice not in forms.REGRADE_CHOICES:
        abort(400)
    return choice == "current"


@bp.route("/")
@access("trainer")
def queue() -> str:
    cohort_id = request.args.get("cohort", type=int)
    quiz_id = request.args.get("quiz", type=int)
    return render_template(
        "grading/queue.html", rows=grading.queue(current_user, cohort_id, quiz_id),
        cohorts=grading.visible_cohorts(current_user),
        quizzes=grading.visible_quizzes(current_user), cohort_id=cohort_id, quiz_id=quiz_id)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@access("trainer")
def attempt(attempt_id: int) -> str | Response | tuple[str, int]:
    context = _context(attempt_id)
    errors: dict[str, str] = {}
    posted: dict[str, dict] = {}
    if request.method == "POST":
        grades, errors, posted = forms.parse_grades(request.form, context.attempt.questions)
        if not errors:
            return _save_grades(context, grades)
    sheet = pages.grading_sheet(context, posted, errors)
    page = render_template("grading/attempt.html", context=context, sheet=sheet, errors=errors)
    return (page, 400) if errors else page


def _save_grades(context: grading.GradingContext,
                 grades: dict[str, grading.ManualGrade]) -> Response:
    try:
        grading.grade_answers(context, current_user, grades)
    except ServiceError:
        db.session.rollback()
        flash(_("The grades could not be saved. Please check the form and try again."), "error")
        return redirect(url_for("grading.attempt", attempt_id=context.attempt.id))
    if context.attempt.status == "finished":
        flash(_("Grades saved. The attempt is fully graded: %(score)s.",
                score=percent(context.attempt.percent)), "success")
        return redirect(url_for("grading.queue"))
    flash(_("Grades saved. Some answers are still waiting for grading."), "success")
    return redirect(url_for("grading.attempt", attempt_id=context.attempt.id))


@bp.route("/attempts/<int:attempt_id>/regrade", methods=["POST"])
@access("trainer")
def regrade_attempt(attempt_id: int) -> Response:
    context = _context(attempt_id)
    change = regrading.regrade_attempt(context, current_user, _regrade_choice())
    flash(_("Attempt regraded: %(before)s before, %(after)s now.",
            before=percent(change["before"]["percent"]),
            after=percent(change["after"]["percent"])), "success")
    return redirect(url_for("grading.attempt", attempt_id=attempt_id))


@bp.route("/quizzes/<int:quiz_id>/regrade", methods=["GET", "POST"])
@access("trainer")
def regrade_quiz(quiz_id: int) -> str | Response:
    try:
        quiz, course = grading.quiz_for_grader(current_user, quiz_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        result = regrading.regrade_quiz(current_user, quiz, course, _regrade_choice())
        flash(_("%(count)s attempts regraded, %(changed)s with a new score. Average score: "
                "%(before)s before, %(after)s now.", count=result["attempts"],
                changed=result["changed"], before=percent(result["average_before"]),
                after=percent(result["average_after"])), "success")
        return redirect(url_for("grading.regrade_quiz", quiz_id=quiz.id))
    return render_template("grading/regrade.html", course=course,
                           overview=pages.regrade_overview(current_user, quiz))
