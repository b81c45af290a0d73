"""A trainer sends a trainee's invitation again, from the trainee's page (throttled by
people/invitations.py, audited as user.invite)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..people import invitations, reach
from ..security.access import access
from . import cohorts
from .forms import ActionForm
from .views import bp, cohort_or_404, record_now

ERRORS = {
    "not_invited": _l("This trainee already has a password. To give a new one, reset it."),
    "invite_throttled": _l("An invitation was sent a few minutes ago. Please wait before "
                           "sending another."),
    "needs_admin": _l("This trainee is also in a cohort you do not teach; an administrator "
                      "must send the invitation."),
}


@bp.route("/cohorts/<cohort_slug>/trainees/<int:user_id>/invite", methods=["POST"])
@access("trainer")
def resend_invitation(cohort_slug: str, user_id: int) -> Response:
    found = cohort_or_404(cohort_slug)
    try:
        person = cohorts.trainee_of(found, user_id)
    except NotFound:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if not reach.may_reset_password(current_user, person):
            raise ServiceError("needs_admin", "outside the trainer's reach")
        invitations.resend(person, current_user.id, found.organisation_id, found.name)
    except ServiceError as error:
        db.session.rollback()
        record_now("user.invite_refused", found, user_id=person.id, reason=error.code)
        flash(str(ERRORS.get(error.code, error.message)), "error")
    else:
        flash(_("A new invitation was sent to %(email)s.", email=person.email), "success")
    return redirect(url_for("reports.trainee", cohort_slug=found.slug, user_id=person.id))
