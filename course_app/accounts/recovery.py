"""Password recovery pages: ask for a link by mail, then choose a new password through it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..domain.errors import ServiceError
from ..i18n import current_language
from ..people import recovery
from ..security.access import access
from ..security.throttle import recovery_throttle
from . import reset_mail
from .forms import ForgotPasswordForm, ResetPasswordForm
from .views import bp


def _no_leaks(response: Response) -> Response:
    # The token is in the address: never in a Referer header, a cache or a shared history.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
@access("public")
def forgot_password() -> tuple[str, int]:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/forgot.html", form=form, sent=False), status
    email, ip = (form.email.data or "").strip(), request.remote_addr or "unknown"
    if not recovery_throttle().allow(email, ip):
        form.email.errors.append(_("Too many requests. Please wait 15 minutes."))
        return render_template("auth/forgot.html", form=form, sent=False), 429
    # The same work for every address, known or not: the link and its mail are a job's.
    reset_mail.ask(email, current_language())
    return render_template("auth/forgot.html", form=ForgotPasswordForm(formdata=None),
                           sent=True, email=email), 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access("public")
def reset_password(token: str) -> Response:
    if recovery.find_valid(token) is None:
        page = render_template("auth/reset_invalid.html")
        return _no_leaks(current_app.make_response((page, 404)))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = recovery.reset_password(token, form.new_password.data or "")
        except ServiceError:
            form.new_password.errors.append(_("Use 10 to 256 characters."))
        else:
            if user is None:  # spent by another request a moment ago
                page = render_template("auth/reset_invalid.html")
                return _no_leaks(current_app.make_response((page, 404)))
            flash(_("Your password has been changed. Sign in with the new one."), "success")
            return _no_leaks(redirect(url_for("auth.login")))
    status = 400 if request.method == "POST" else 200
    page = render_template("auth/reset.html", form=form)
    return _no_leaks(current_app.make_response((page, status)))
