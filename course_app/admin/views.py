"""Administration: users, roles, audit log (admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import User
from ..security.access import access
from . import service as admin
from .forms import (
    ROLE_LABELS,
    RoleForm,
    UserFilterForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

ERRORS = {
    "last_admin": _l("At least one active administrator must remain. Make another account an "
                     "administrator first."),
    "bad_role": _l("Choose one of the listed roles."),
}


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _query_without_page() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != "page" and v}


def _user_or_404(user_id: int) -> User:
    """The account when the current admin administers it (admin/service.in_reach: an
    organisation's admin reaches its staff and its cohorts' trainees), else 404."""
    try:
        return admin.get_user(user_id, current_user)
    except NotFound:
        abort(404)


@bp.route("/")
@access("admin")
def index() -> Response:
    return redirect(url_for("admin.users"))


@bp.route("/users")
@access("admin")
def users() -> tuple[str, int]:
    form = UserFilterForm(formdata=request.args)
    valid = form.validate()
    found = admin.find_users(form.q.data, form.role.data, form.status.data, _page(),
                             actor=current_user) if valid else admin.find_users(
        page=1, actor=current_user)
    return render_template("admin/users.html", form=form, found=found,
                           query=_query_without_page()), 200 if valid else 400


def _user_page(user: User, role_form: RoleForm | None = None, status: int = 200,
               **extra: Any) -> tuple[str, int]:
    role_form = role_form or RoleForm(formdata=None, role=user.role)
    return render_template("admin/user.html", user=user, role_form=role_form, **extra), status


@bp.route("/users/<int:user_id>")
@access("admin")
def user(user_id: int) -> tuple[str, int]:
    return _user_page(_user_or_404(user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@access("admin")
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate():
        return _user_page(user, form, 400)
    try:
        changed = admin.change_role(current_user, user, form.role.data or "")
    except ServiceError as error:
        db.session.rollback()
        form.role.errors = [str(ERRORS.get(error.code, ERRORS["bad_role"]))]
        return _user_page(user, form, 400)
    if changed:
        flash(_("The role of %(name)s is now: %(role)s.", name=user.full_name,
                role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.user", user_id=user.id))


def _set_active(user_id: int, active: bool) -> Response | tuple[str, int]:
    user = _user_or_404(user_id)
    try:
        changed = admin.set_active(current_user, user, active)
    except ServiceError as error:
        db.session.rollback()
        return _user_page(user, status=400, status_error=str(ERRORS.get(error.code)))
    if changed:
        message = (_("%(name)s can sign in again.", name=user.full_name) if active else
                   _("%(name)s is disabled and was signed out everywhere.", name=user.full_name))
        flash(message, "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@access("admin")
def enable(user_id: int) -> Response | tuple[str, int]:
    return _set_active(user_id, True)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@access("admin")
def disable(user_id: int) -> Response | tuple[str, int]:
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@access("admin")
def reset_password(user_id: int) -> tuple[str, int]:
    user = _user_or_404(user_id)
    password = admin.reset_password(current_user, user)
    # Shown once, on this response only (no-store): never in a redirect, the session or a log.
    return render_template("admin/password_reset.html", user=user, password=password), 200


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"role_labels": ROLE_LABELS}
