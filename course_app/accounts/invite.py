"""Accepting an invitation: the mailed link `/invite/<token>` (7 days, single use), where a new
account's owner chooses their password, then signs in with it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..domain.errors import ServiceError
from ..people import recovery
from ..security.access import access
from .forms import ResetPasswordForm
from .recovery import _no_leaks
from .views import bp


def _invalid() -> Response:
    page = render_template("auth/invite_invalid.html")
    return _no_leaks(current_app.make_response((page, 404)))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access("public")
def accept_invitation(token: str) -> Response:
    found = recovery.find_valid(token, "invite")
    if found is None:
        return _invalid()
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = recovery.reset_password(token, form.new_password.data or "", "invite")
        except ServiceError:
            form.new_password.errors.append(_("Use 10 to 256 characters."))
        else:
            if user is None:  # spent by another request a moment ago
                return _invalid()
            flash(_("Your password is set. Sign in with your email and the new password."),
                  "success")
            return _no_leaks(redirect(url_for("auth.login")))
    status = 400 if request.method == "POST" else 200
    page = render_template("auth/invite.html", form=form, user=found[1])
    return _no_leaks(current_app.make_response((page, status)))
