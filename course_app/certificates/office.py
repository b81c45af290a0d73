"""The training office's certificate actions in the browser: revoke, reissue and issue by hand.
Each GET shows what will happen with the form (it never writes); its POST does it through the
same service functions the command line uses (service.py), audited there. Only a trainer of a
cohort the holder is enrolled in, for that course, or an admin, finds these pages: anyone else
gets 404, as for an unknown code."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Certificate
from ..security.access import access
from . import manage, service
from .forms import IssueForm, ReissueForm, RevokeForm
from .views import bp

Page = str | tuple[str, int]

ERRORS = {
    "reason_required": _l("Give the reason: it is kept in the audit log."),
    "reason_too_long": _l("The reason is too long."),
    "already_revoked": _l("This certificate was revoked; a revoked certificate stays revoked. "
                          "Issue a new one if needed."),
    "superseded": _l("This certificate was replaced by a newer one; change the newer one."),
    "changed_meanwhile": _l("Someone changed this certificate meanwhile. Nothing was done; "
                            "look at it again."),
    "already_certified": _l("This trainee already holds a valid certificate of the course: "
                            "reissue it instead."),
    "not_enrolled": _l("This trainee is not enrolled in the course."),
    "not_trainee": _l("Only trainees receive certificates."),
}


def _error_text(error: ServiceError) -> str:
    return str(ERRORS.get(error.code, error.message))


def _certificate_or_404(code: str) -> Certificate:
    try:
        return manage.managed_certificate(current_user, code)
    except NotFound:
        abort(404)


def _back_url(certificate: Certificate) -> str:
    cohort = manage.return_cohort(current_user, certificate)
    if cohort is None:
        return url_for("certificates.verify", code=certificate.code)
    return url_for("reports.trainee", cohort_slug=cohort.slug, user_id=certificate.user_id)


def _confirm_page(action: str, certificate: Certificate, form: FlaskForm, status: int = 200,
                  error: str | None = None) -> Page:
    page = render_template("certificates/confirm.html", action=action, certificate=certificate,
                           state=service.status_of(certificate), form=form, error=error,
                           back=_back_url(certificate))
    return page, status


def _change(action: str, code: str, form: FlaskForm) -> Page | Response:
    certificate = _certificate_or_404(code)
    if not form.is_submitted():
        return _confirm_page(action, certificate, form)
    if not form.validate():
        return _confirm_page(action, certificate, form, 400)
    try:
        if action == "revoke":
            changed = service.revoke(certificate, form.reason.data, current_user)
            flash(_("Certificate %(code)s is revoked.", code=changed.code), "success")
        else:
            reason = form.reason.data or _("Reissued with the holder's current name and unit.")
            changed = service.reissue(certificate, reason, current_user)
            flash(_("Certificate %(old)s is replaced by %(new)s.", old=certificate.code,
                    new=changed.code), "success")
    except ServiceError as error:
        db.session.rollback()
        return _confirm_page(action, _certificate_or_404(code), form, 409, _error_text(error))
    return redirect(_back_url(changed))


@bp.route("/certificates/<code>/revoke", methods=["GET", "POST"])
@access("trainer")
def revoke(code: str) -> Page | Response:
    return _change("revoke", code, RevokeForm())


@bp.route("/certificates/<code>/reissue", methods=["GET", "POST"])
@access("trainer")
def reissue(code: str) -> Page | Response:
    return _change("reissue", code, ReissueForm())


def _issue_page(found: manage.Holder, form: IssueForm, status: int = 200,
                error: str | None = None) -> Page:
    back = url_for("reports.trainee", cohort_slug=found.cohort.slug, user_id=found.trainee.id)
    return render_template("certificates/issue.html", found=found, form=form, error=error,
                           back=back), status


@bp.route("/reports/cohorts/<cohort_slug>/trainees/<int:user_id>/certificate/issue",
          methods=["GET", "POST"])
@access("trainer")
def issue_by_hand(cohort_slug: str, user_id: int) -> Page | Response:
    try:
        found = manage.holder(current_user, cohort_slug, user_id)
    except NotFound:
        abort(404)
    form = IssueForm()
    if not form.is_submitted() or found.current is not None:
        return _issue_page(found, form, 409 if form.is_submitted() else 200,
                           _error_text(ServiceError("already_certified", ""))
                           if form.is_submitted() else None)
    if not form.validate():
        return _issue_page(found, form, 400)
    try:
        made = service.issue_manually(found.trainee, found.course, form.reason.data,
                                      current_user)
    except ServiceError as error:
        db.session.rollback()
        return _issue_page(found, form, 409, _error_text(error))
    flash(_("Certificate %(code)s is issued to %(name)s.", code=made.code,
            name=found.trainee.full_name), "success")
    return redirect(url_for("reports.trainee", cohort_slug=found.cohort.slug,
                            user_id=found.trainee.id))
