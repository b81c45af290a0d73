"""The notification settings page (/account/notifications) and the one-click unsubscribe link
(/unsubscribe/<token>: GET shows a button, POST turns the mail off; mail clients POST it
themselves, RFC 8058, so that POST carries no CSRF token: the signed token is its authority)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import csrf, db
from ..models import User
from ..security.access import access
from . import preferences, tokens
from .forms import PreferencesForm

bp = Blueprint("notify", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@access("signed_in")
def settings() -> str | Response:
    off = preferences.turned_off(current_user.id)
    form = PreferencesForm(data={"reminders": "reminders" not in off,
                                 "digest": "digest" not in off})
    if form.validate_on_submit():
        wanted = {"reminders": bool(form.reminders.data)}
        if current_user.is_trainer:
            wanted["digest"] = bool(form.digest.data)
        preferences.save(current_user, wanted)
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notify.settings"))
    return render_template("notify/settings.html", form=form)


def _owner(token: str) -> tuple[User, str]:
    found = tokens.read(token)
    user = db.session.get(User, found[0]) if found else None
    if found is None or user is None:
        abort(404)
    return user, found[1]


@bp.route("/unsubscribe/<token>", methods=["GET"])
@access("public")
def unsubscribe(token: str) -> Response:
    user, kind = _owner(token)
    page = render_template("notify/unsubscribe.html", kind=kind, email=user.email, done=False,
                           off=kind in preferences.turned_off(user.id))
    return _private(page)


@bp.route("/unsubscribe/<token>", methods=["POST"])
@csrf.exempt
@access("public")
def unsubscribe_post(token: str) -> Response:
    user, kind = _owner(token)
    preferences.unsubscribe(user.id, kind)
    page = render_template("notify/unsubscribe.html", kind=kind, email=user.email, done=True,
                           off=True)
    return _private(page)


def _private(page: str) -> Response:
    response = Response(page, mimetype="text/html")
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
