"""An attempt page whose session or CSRF token ran out never loses what it sends.

Save or Submit with an ended session (or a token that no longer matches, after signing in
again in another tab) does not get the bare "400" page: the answers the form carried come
back in a page of hidden fields with a sign-in form (`signed_out.html`). Signing in there
posts them again (`resume`) and they are saved like any save, through the same merge that
protects answers saved since (quiz/answers.py); a Submit is never completed on the trainee's
behalf: they see the attempt page with the answers saved and press Submit again.

Nothing is stored for a visitor who is not signed in: the answers travel back to the browser
that sent them, in the page (no-store, like every attempt page), and the size limits of the
attempt form apply (forms.MAX_BODY_BYTES, MAX_FIELDS). With JavaScript, app.js also keeps the
unsent answers in localStorage and sends them after signing in again.

The CSRF token lives as long as the session (WTF_CSRF_TIME_LIMIT = None), so one warning covers
both: the page knows the session's idle and absolute limits (`session_times`), app.js keeps the
session alive while the trainee works (`alive`; autosave counts too) and warns a few minutes
before it would end."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Unauthorized
from werkzeug.wrappers import Response

from ..accounts.forms import LoginForm
from ..accounts.signin import sign_in
from ..domain.errors import NotFound
from ..error_pages import handle_http_error
from ..extensions import db
from ..i18n import current_language
from ..schedule import holding, shown
from ..security.access import access
from . import attempts, forms

ATTEMPT_POSTS = frozenset({"quiz.attempt", "quiz.submit", "quiz.resume"})


def session_times() -> dict[str, int]:
    """Seconds the session may stay idle, and seconds until its absolute end."""
    now = int(time.time())
    lifetime = int(current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds())
    return {"idle": int(current_app.config["SESSION_IDLE_MINUTES"]) * 60,
            "ends": max(0, session.get("started", now) + lifetime - now)}


def _limit_body() -> None:
    # Before the CSRF check reads the form: a larger body is refused unread (413).
    if request.endpoint in ATTEMPT_POSTS and request.method == "POST":
        request.max_content_length = forms.MAX_BODY_BYTES


def _carried() -> list[tuple[str, str]]:
    form = {name: request.form.getlist(name) for name in request.form}
    return [] if forms.too_large(form) else forms.posted_fields(form)


def _signed_out(attempt_id: int, status: int) -> tuple[Any, int]:
    db.session.rollback()
    attempt_url = url_for("quiz.attempt", attempt_id=attempt_id)
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify({"status": "signed_out",
                        "login": url_for("auth.login", next=attempt_url)}), status
    signed_in = current_user.is_authenticated
    form = LoginForm(formdata=None)
    return render_template("quiz/signed_out.html", attempt_id=attempt_id, form=form,
                           carried=_carried(), signed_in=signed_in,
                           submitting=request.endpoint == "quiz.submit"), status


def _attempt_id() -> int | None:
    value = (request.view_args or {}).get("attempt_id")
    return value if isinstance(value, int) else None


def handle_expired(error: Exception) -> Any:
    """CSRFError or 401 on an attempt's save, submit or resume."""
    attempt_id = _attempt_id()
    if attempt_id is None or request.endpoint not in ATTEMPT_POSTS \
            or request.method != "POST":
        return handle_http_error(error)  # type: ignore[arg-type]
    return _signed_out(attempt_id, 401 if isinstance(error, Unauthorized) else 400)


def resume(attempt_id: int) -> Any:
    """Sign in again from the session-expired page, then save what it carried."""
    from . import attempts

    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("quiz/signed_out.html", attempt_id=attempt_id, form=form,
                               carried=_carried(), signed_in=False, submitting=False), 400
    user, status = sign_in(form)
    if user is None:
        return render_template("quiz/signed_out.html", attempt_id=attempt_id, form=form,
                               carried=_carried(), signed_in=False, submitting=False), status
    answers = {name: request.form.getlist(name) for name in request.form}
    try:
        found, quiz, course = attempts.owned_attempt_with_quiz(user, attempt_id, True)
    except NotFound:
        return redirect(url_for("learn.dashboard"))
    if found.status == "in_progress":  # the trainee's dates hold here too
        held = holding.hold(found, quiz)
        if held.refusal is not None:
            flash(shown.refusal_text(held.refusal, held.rules), "error")
            return redirect(url_for("quiz.intro", course_slug=course.slug, quiz_slug=quiz.slug))
        if attempts.deadline_passed(found) and held.closed_at_close(found):
            flash(shown.closed_while_open_text(held.rules.closes_at), "error")
    if found.status != "in_progress" or attempts.deadline_passed(found):
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    saved = attempts.save_answers(found, answers, locked=True, language=current_language())
    if saved.ok:
        flash(_("You are signed in again and your answers have been saved."), "success")
    else:
        flash(_("You are signed in again. Some answers could not be saved: please check the "
                "questions marked below and save again."), "error")
    return redirect(url_for("quiz.attempt", attempt_id=attempt_id))


def alive(attempt_id: int) -> Response:
    """A signed-in request that keeps the session alive (security/sessions.py refreshes it);
    the attempt page calls it while the trainee works without changing answers. Another
    trainee's attempt does not exist for you (404), as on every attempt route."""
    try:
        attempts.owned_attempt_with_quiz(current_user, attempt_id)
    except NotFound:
        abort(404)
    return jsonify({"status": "alive", "attempt": attempt_id, **session_times()})


def init(bp: Blueprint) -> None:
    bp.record_once(lambda state: state.app.before_request_funcs.setdefault(None, [])
                   .insert(0, _limit_body))
    bp.register_error_handler(CSRFError, handle_expired)
    bp.register_error_handler(Unauthorized, handle_expired)
    bp.add_url_rule("/attempts/<int:attempt_id>/resume", "resume",
                    access("public")(resume), methods=["POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>/alive", "alive", access("owner")(alive))
