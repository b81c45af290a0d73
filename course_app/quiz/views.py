"""Quiz intro, attempts, submission and review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..certificates import service as certificates
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..i18n import current_language
from ..models import Attempt, Course, Quiz
from ..models.types import utcnow
from ..progress import service as progress
from ..security.access import access
from . import attempt_pages, attempts
from .answer_errors import answer_error
from .widgets import answered_count, attempt_question, question_input, typed_number

bp = Blueprint("quiz", __name__)
# The question widgets, for the attempt page and the authors' previews.
bp.add_app_template_global(question_input)
bp.add_app_template_global(attempt_question)
bp.add_app_template_global(answered_count)
bp.add_app_template_global(typed_number)


def _course_and_quiz(course_slug: str, quiz_slug: str) -> tuple[Course, Quiz]:
    try:
        course = progress.course_for(current_user, course_slug)
        return course, attempts.get_quiz(course.id, quiz_slug)
    except NotFound:
        abort(404)


def _my_attempt(attempt_id: int, for_update: bool = False) -> tuple[Attempt, Quiz, Course]:
    try:
        return attempts.owned_attempt_with_quiz(current_user, attempt_id, for_update)
    except NotFound:
        abort(404)


def _form_lists() -> dict[str, list[str]]:
    return {name: request.form.getlist(name) for name in request.form}


def _is_autosave() -> bool:
    """app.js saves in the background with this header and wants JSON, not a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def _closed(found: Attempt) -> Response:
    target = url_for("quiz.review", attempt_id=found.id)
    # An autosave that crosses the submission is normal, not an error: app.js goes to `redirect`.
    return jsonify({"status": "closed", "redirect": target}) if _is_autosave() \
        else redirect(target)


def _autosaved(found: Attempt, errors: dict[str, str]) -> tuple[Response, int]:
    if errors:
        messages = {key: answer_error(code) for key, code in errors.items()}
        return jsonify({"status": "invalid", "errors": messages}), 400
    return jsonify({"status": "saved",
                    "seconds_left": attempt_pages.seconds_left(found, utcnow())}), 200


@bp.route("/courses/<course_slug>/quizzes/<quiz_slug>")
@access("enrolled")
def intro(course_slug: str, quiz_slug: str) -> str:
    course, quiz = _course_and_quiz(course_slug, quiz_slug)
    status = progress.quiz_statuses(current_user, [quiz])[quiz.id]
    history = attempts.history(current_user, quiz)
    return render_template("quiz/intro.html", course=course, quiz=quiz, status=status,
                           history=history)


@bp.route("/courses/<course_slug>/quizzes/<quiz_slug>/attempts", methods=["POST"])
@access("enrolled")
def start(course_slug: str, quiz_slug: str) -> Response:
    course, quiz = _course_and_quiz(course_slug, quiz_slug)
    try:
        attempt = attempts.start_attempt(current_user, quiz)
    except ServiceError:
        flash(_("You have no attempts left for this quiz."), "error")
        return redirect(url_for("quiz.intro", course_slug=course.slug, quiz_slug=quiz.slug))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _attempt_page(found: Attempt, quiz: Quiz, course: Course, errors: dict[str, str],
                  posted: dict | None = None) -> str:
    questions = attempt_pages.attempt_questions(found, quiz, posted=posted, errors=errors)
    seconds = attempt_pages.seconds_left(found, utcnow())
    return render_template("quiz/attempt.html", attempt=found, quiz=quiz, course=course,
                           questions=questions, seconds_left=seconds, errors=errors)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@access("owner")
def attempt(attempt_id: int) -> str | Response | tuple[str | Response, int]:
    posting = request.method == "POST"  # then the attempt's row is locked as it is read
    found, quiz, course = _my_attempt(attempt_id, for_update=posting)
    if found.status != "in_progress":
        return _closed(found)
    if attempts.deadline_passed(found):
        attempts.submit_attempt(found, None, locked=posting)
        return _closed(found)
    errors: dict[str, str] = {}
    if posting:
        try:
            errors = attempts.save_answers(found, _form_lists(), locked=True,
                                           language=current_language())
        except ServiceError:  # submitted or out of time since the checks above (a race)
            db.session.rollback()
            return _closed(found)
        if _is_autosave():
            return _autosaved(found, errors)
        if not errors:
            flash(_("Your answers have been saved."), "success")
            return redirect(url_for("quiz.attempt", attempt_id=found.id))
    page = _attempt_page(found, quiz, course, errors)
    return (page, 400) if errors else page


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@access("owner")
def submit(attempt_id: int) -> str | Response | tuple[str, int]:
    found, quiz, course = _my_attempt(attempt_id, for_update=True)
    try:
        attempts.submit_attempt(found, _form_lists(), locked=True,
                                language=current_language())
    except ServiceError as error:
        db.session.rollback()
        found, quiz, course = _my_attempt(attempt_id)
        return _attempt_page(found, quiz, course, error.params.get("errors", {}),
                             error.params.get("responses")), 400
    certificates.issue_if_complete(current_user, course)
    return redirect(url_for("quiz.review", attempt_id=found.id))


@bp.route("/attempts/<int:attempt_id>/review")
@access("owner")
def review(attempt_id: int) -> str | Response:
    found, quiz, course = _my_attempt(attempt_id)
    if found.status == "in_progress":
        return redirect(url_for("quiz.attempt", attempt_id=found.id))
    questions = attempt_pages.review_questions(found, quiz)
    return render_template("quiz/review.html", attempt=found, quiz=quiz, course=course,
                           questions=questions, passed=attempt_pages.passed(found, quiz))
