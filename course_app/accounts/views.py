"""Sign in, sign out, password change and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ..domain.errors import ServiceError
from ..people import accounts, audit
from ..security.access import access
from ..security.passwords import verify_password
from ..security.sessions import end_all_sessions, start_session
from ..security.throttle import login_throttle
from .forms import ChangePasswordForm, LoginForm
from .signin import sign_in

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths: no open redirects, and no control character (CR/LF would
    make the Location header fail) or backslash (browsers read "/\\host" as "//host")."""
    if not target or any(ord(c) < 0x20 or c in "\x7f\\" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
@access("public")
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("learn.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    user, status = sign_in(form)
    if user is None:
        return render_template("auth/login.html", form=form), status
    return redirect(safe_next(request.args.get("next"), url_for("learn.dashboard")))


@bp.route("/logout", methods=["POST"])
@access("signed_in")
def logout() -> Response:
    end_all_sessions(current_user)  # a copied cookie stops working too
    audit.record("auth.logout", current_user.id, f"user:{current_user.id}")
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access("signed_in")
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        # The current password is a sign-in: the same throttle, and failures are audited.
        email, ip = current_user.email, request.remote_addr or "unknown"
        if login_throttle().blocked(email, ip):
            form.current_password.errors.append(
                _("Too many failed sign-ins. Please wait 15 minutes."))
            return render_template("auth/change_password.html", form=form), 429
        if not verify_password(current_user.password_hash, form.current_password.data or ""):
            login_throttle().record_failure(email, ip)
            audit.record("auth.password_check_failed", current_user.id,
                         f"user:{current_user.id}")
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            try:
                accounts.change_password(current_user, form.new_password.data or "")
            except ServiceError:
                form.new_password.errors.append(_("Use 10 to 256 characters."))
            else:
                user = current_user._get_current_object()
                start_session(user)
                login_user(user)  # re-issue this session with the new version
                return redirect(url_for("learn.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/language", methods=["POST"])
@access("public")
def set_language() -> Response:
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LOCALES"]:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
    back = request.form.get("next") or request.referrer or ""
    parts = urlsplit(back)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect(safe_next(target, url_for("learn.dashboard")))
