"""Staff accounts in the browser: `/admin/users/new` makes a trainer or administrator with a
one-time password shown once or a mailed invitation; an invitation can be sent again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import ServiceError
from ..extensions import db
from ..i18n import tr
from ..security.access import access
from . import staff
from .forms import choices
from .staff_forms import StaffForm
from .views import ERRORS, _user_or_404, bp

FIELD_ERRORS = {
    "bad_email": _l("This is not a valid email address."),
    "duplicate_email": _l("An account with this email already exists."),
    "no_name": _l("Please enter the full name."),
    "bad_role": _l("Choose one of the listed roles."),
    "unknown_organisation": _l("Choose one of the listed organisations."),
}
INVITE_ERRORS = {
    "not_invited": _l("This account already has a password: it can use \"Forgot your "
                      "password?\" on the sign-in page."),
    "invite_throttled": _l("An invitation was sent a few minutes ago. Please wait before "
                           "sending another."),
}


def _form() -> StaffForm:
    form = StaffForm()
    organisations = staff.organisations_for(current_user)
    none = [("", _("None: the whole site"))] if staff.is_site_admin(current_user) else []
    form.organisation.choices = choices(
        none + [(str(o.id), tr(o.name) or o.slug) for o in organisations])
    return form


def _new_page(form: StaffForm, status: int) -> tuple[str, int]:
    return render_template("admin/staff_new.html", form=form), status


@bp.route("/users/new", methods=["GET", "POST"])
@access("admin")
def new_user() -> tuple[str, int]:
    form = _form()
    if not form.validate_on_submit():
        return _new_page(form, 400 if form.is_submitted() else 200)
    raw = form.organisation.data or ""
    try:
        created = staff.create_staff(
            current_user, form.email.data or "", form.name.data or "", form.role.data or "",
            int(raw) if raw.isdigit() else (None if raw == "" else -1),
            invite=form.delivery.data == "invite")
    except ServiceError as error:
        db.session.rollback()
        field = getattr(form, str(error.params.get("field") or "email"))
        field.errors = [*field.errors, str(FIELD_ERRORS.get(error.code, error.message))]
        return _new_page(form, 400)
    # The one-time password is on this response only (no-store): never in a redirect or a log.
    return render_template("admin/staff_created.html", user=created.user,
                           password=created.password), 200


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@access("admin")
def resend_invitation(user_id: int) -> Response:
    user = _user_or_404(user_id)
    try:
        staff.resend_invitation(current_user, user)
    except ServiceError as error:
        db.session.rollback()
        if error.code not in INVITE_ERRORS:
            abort(400)
        flash(str(INVITE_ERRORS[error.code]), "error")
    else:
        flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user", user_id=user.id))


__all__ = ["ERRORS", "new_user", "resend_invitation"]
