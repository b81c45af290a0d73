"""Quiz intro, attempts, submission and review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..i18n import current_language
from ..models import Attempt, Course, Quiz
from ..models.types import utcnow
from ..progress import service as progress
from ..schedule import holding, shown
from ..security.access import access
from . import attempt_pages, attempts, closing, forms, recovery, starting
from . import review as review_pages
from .answer_errors import answer_error
from .answers import Saved
from .widgets import init as init_widgets

bp = Blueprint("quiz", __name__)
init_widgets(bp)  # the question widgets' helpers, for the attempt page and the authors' previews
recovery.init(bp)  # an ended session or token: sign in again, nothing lost


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
    form = {name: request.form.getlist(name) for name in request.form}
    if forms.too_large(form):
        abort(413)
    return form


def _is_autosave() -> bool:
    """app.js saves in the background with this header and wants JSON, not a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def _closed(found: Attempt) -> Response:
    target = url_for("quiz.review", attempt_id=found.id)
    # An autosave that crosses the submission is normal, not an error: app.js goes to `redirect`.
    return jsonify({"status": "closed", "redirect": target}) if _is_autosave() \
        else redirect(target)


def _messages(codes: dict[str, str]) -> dict[str, str]:
    return {key: answer_error(code) for key, code in codes.items()}


def _autosaved(found: Attempt, saved: Saved) -> tuple[Response, int]:
    status, code = ("saved", 200) if saved.ok else \
        (("invalid", 400) if saved.errors else ("conflict", 409))
    conflicts = {key: answer_error("conflict") for key in saved.conflicts}
    return jsonify({"status": status, "errors": {**_messages(saved.errors), **conflicts},
                    "revision": saved.revision, "seen": saved.seen,
                    "changed_elsewhere": saved.changed_elsewhere or bool(saved.conflicts),
                    "seconds_left": attempt_pages.seconds_left(found, utcnow())}), code


@bp.route("/courses/<course_slug>/quizzes/<quiz_slug>")
@access("enrolled")
def intro(course_slug: str, quiz_slug: str) -> str:
    course, quiz = _course_and_quiz(course_slug, quiz_slug)
    status = progress.quiz_statuses(current_user, [quiz])[quiz.id]
    history = attempts.history(current_user, quiz)
    dates = shown.for_course(current_user.id, course.id, [quiz])
    seen = review_pages.visible(current_user, quiz, status)  # are scores shown?
    return render_template("quiz/intro.html", course=course, quiz=quiz, status=status,
                           history=history, dates=dates, deadline=dates.of(quiz.id), seen=seen)


def _refused(code: str, rules: object, course: Course, quiz: Quiz) -> Response:
    """A start or a save the trainee's dates refuse (schedule/holding.py): the reason, on the
    quiz's intro page, or as JSON for an autosave (app.js shows `message`)."""
    message = shown.refusal_text(code, rules)  # type: ignore[arg-type]
    if _is_autosave():
        reply = jsonify({"status": "refused", "reason": code, "message": message})
        reply.status_code = 403
        return reply
    flash(message, "error")
    return redirect(url_for("quiz.intro", course_slug=course.slug, quiz_slug=quiz.slug))


@bp.route("/courses/<course_slug>/quizzes/<quiz_slug>/attempts", methods=["POST"])
@access("enrolled")
def start(course_slug: str, quiz_slug: str) -> Response:
    course, quiz = _course_and_quiz(course_slug, quiz_slug)
    try:
        attempt = starting.start_attempt(current_user, quiz)
    except ServiceError as error:
        return _refused(error.code, error.params.get("rules"), course, quiz)
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _held(found: Attempt, quiz: Quiz, course: Course) -> Response | None:
    """The trainee's dates before a write (schedule/holding.py): a refusal, or an attempt
    whose deadline (capped at the quiz's close) is over, closed with what was saved."""
    held = holding.hold(found, quiz)
    if held.refusal is not None:
        return _refused(held.refusal, held.rules, course, quiz)
    if attempts.deadline_passed(found):
        if held.closed_at_close(found):
            flash(shown.closed_while_open_text(held.rules.closes_at), "error")
        closing.close_attempt(found, None, closing.TIME_UP, locked=True)
        return _closed(found)
    return None


# An untimed attempt's deadline is the quiz's close (schedule/holding.py); its countdown shows
# in the last hours only.
_FAR_CLOSE_SECONDS = 3 * 3600


def _attempt_page(found: Attempt, quiz: Quiz, course: Course, saved: Saved | None = None,
                  status: int = 200) -> tuple[str, int]:
    """The attempt page; after a save that kept something back (an invalid answer, a
    conflict), with what the trainee sent in every field and the reasons."""
    shown = None
    if saved is not None:
        shown = {key: value for key, value in {**saved.posted, **saved.typed}.items()
                 if key not in saved.kept}
    page = attempt_pages.attempt_page(found, quiz, shown, saved.errors if saved else None,
                                      saved.conflicts if saved else None)
    seconds = attempt_pages.seconds_left(found, utcnow())
    if seconds is not None and not quiz.time_limit_minutes and seconds > _FAR_CLOSE_SECONDS:
        seconds = None  # an untimed attempt capped at a far close: no countdown of days yet
    return render_template("quiz/attempt.html", attempt=found, quiz=quiz, course=course,
                           page=page, questions=page.questions, seconds_left=seconds,
                           saved=saved, session_times=recovery.session_times()), status


def _save(found: Attempt, form: dict[str, list[str]]) -> Saved:
    """Save the form, an ordering move (a no-JavaScript up/down button) applied first."""
    move = forms.move_request(form)
    if move is not None:
        items = attempt_pages.ordering_items(found, move[0])
        if items:
            form = forms.apply_move(form, move[0], move[1], move[2], items)
    return attempts.save_answers(found, form, locked=True, language=current_language())


def _page_status(saved: Saved) -> int:
    return 400 if saved.errors else 409


def _time_up_page(found: Attempt, quiz: Quiz, course: Course) -> str:
    """An open attempt whose clock is over, as a GET shows it: nothing is written; the button
    POSTs to submit, which closes it with what was saved in time (quiz/closing.py)."""
    return render_template("quiz/time_up.html", attempt=found, quiz=quiz, course=course,
                           answered=len(attempt_pages.saved_responses(found)))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@access("owner")
def attempt(attempt_id: int) -> str | Response | tuple[str | Response, int]:
    posting = request.method == "POST"  # then the attempt's row is locked as it is read
    form = _form_lists() if posting else {}
    found, quiz, course = _my_attempt(attempt_id, for_update=posting)
    if found.status != "in_progress":
        return _closed(found)
    if not posting:  # a GET never writes: an attempt out of time offers to close it (a POST)
        if attempts.deadline_passed(found):
            return _time_up_page(found, quiz, course)
        return _attempt_page(found, quiz, course)
    refused = _held(found, quiz, course)
    if refused is not None:
        return refused
    try:
        saved = _save(found, form)
    except ServiceError:  # submitted or out of time since the checks above (a race)
        db.session.rollback()
        return _closed(found)
    if _is_autosave():
        return _autosaved(found, saved)
    if not saved.ok:
        return _attempt_page(found, quiz, course, saved, _page_status(saved))
    anchor = f"question-{forms.move_request(form)[0]}" if forms.move_request(form) else None
    if anchor is None:
        flash(_("Your answers have been saved."), "success")
    return redirect(url_for("quiz.attempt", attempt_id=found.id, _anchor=anchor))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@access("owner")
def submit(attempt_id: int) -> str | Response | tuple[str, int]:
    form = _form_lists()
    found, quiz, course = _my_attempt(attempt_id, for_update=True)
    if found.status == "in_progress":
        held = holding.hold(found, quiz)
        if held.refusal is not None:
            return _refused(held.refusal, held.rules, course, quiz)
        if attempts.deadline_passed(found) and held.closed_at_close(found):
            flash(shown.closed_while_open_text(held.rules.closes_at), "error")
    if found.status == "in_progress" and not attempts.deadline_passed(found) \
            and forms.carries_answers(form):
        try:
            saved = _save(found, form)
        except ServiceError:
            db.session.rollback()
            return _closed(found)
        if not saved.ok:
            return _attempt_page(found, quiz, course, saved, _page_status(saved))
    over = attempts.deadline_passed(found)
    problems = attempts.word_limit_problems(found) if found.status == "in_progress" else {}
    if problems and not over:  # an essay outside its length holds the submission back
        return _attempt_page(found, quiz, course, Saved(errors=problems), 400)
    if found.status == "in_progress" and forms.ASK_FIELD in form \
            and forms.CONFIRMED_FIELD not in form and not attempts.deadline_passed(found):
        page = attempt_pages.attempt_page(found, quiz)
        return render_template("quiz/confirm.html", attempt=found, quiz=quiz, course=course,
                               unanswered=attempt_pages.unanswered(page.questions),
                               total=len(page.questions))
    # What was saved (just now, or before the time ran out) is what is graded.
    reason = closing.TIME_UP if attempts.deadline_passed(found) else closing.SUBMITTED
    closing.close_attempt(found, None, reason, locked=True)
    return redirect(url_for("quiz.review", attempt_id=found.id))


@bp.route("/attempts/<int:attempt_id>/review")
@access("owner")
def review(attempt_id: int) -> str | Response:
    found, quiz, course = _my_attempt(attempt_id)
    if found.status == "in_progress" and attempts.deadline_passed(found):
        return _time_up_page(found, quiz, course)
    if found.status == "in_progress":
        return redirect(url_for("quiz.attempt", attempt_id=found.id))
    page = review_pages.review_page(current_user, quiz, found)  # what the review options show now
    return render_template("quiz/review.html", attempt=found, quiz=quiz, course=course,
                           questions=page.questions, passed=attempt_pages.passed(found, quiz),
                           seen=page.seen, lessons=page.lessons, options=page.options)
