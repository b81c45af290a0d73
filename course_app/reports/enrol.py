"""Enrolment for trainers: upload a roster → preview every row and its errors → confirm →
credentials sheet; and adding, removing and resetting one trainee by hand."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..exports import csv_download
from ..extensions import db
from ..models import Cohort
from ..people import password_batch, roster
from ..security.access import access
from . import cohorts, uploads
from .forms import ActionForm, ConfirmForm, TraineeForm, UploadForm
from .messages import row_error_text, service_error_text
from .views import bp, cohort_or_404, record_now

Page = str | tuple[str, int]


def _enrol_page(found: Cohort, status: int = 200, **context: Any) -> Page:
    context.setdefault("upload_form", UploadForm())
    context.setdefault("trainee_form", TraineeForm())
    page = render_template("reports/enrol.html", cohort=found, row_error_text=row_error_text,
                           **context)
    return (page, status) if status != 200 else page


def _preview(found: Cohort, parsed: roster.Roster, token: str | None) -> Page:
    confirm = ConfirmForm(token=token) if token else None
    return _enrol_page(found, 200 if parsed.ok else 400, roster=parsed, confirm_form=confirm)


@bp.route("/cohorts/<cohort_slug>/enrol", methods=["GET", "POST"])
@access("trainer")
def enrol(cohort_slug: str) -> Page:
    found = cohort_or_404(cohort_slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return _enrol_page(found, 400 if form.is_submitted() else 200, upload_form=form)
    upload = form.file.data
    data = upload.stream.read(roster.MAX_BYTES + 1)
    parsed = roster.parse_roster(data, upload.filename or "roster")
    if parsed.ok:  # reads only: nothing is written before confirm; foreign accounts look new
        roster.check_accounts(parsed, found, current_user)
    record_now("cohort.import_preview", found, file=parsed.filename[:200],
               rows=len(parsed.rows), errors=len(parsed.errors),
               held=len(roster.held_rows(parsed)))
    token = None
    if parsed.ok:
        token = uploads.keep("upload", data, current_user.id, found.id, f=parsed.filename[:200])
    return _preview(found, parsed, token)


def _audit_refusal(action: str, found: Cohort, error: ServiceError, **details: Any) -> None:
    """Accounts outside the trainer's reach were refused: say so in the audit log, in a
    transaction of its own (the refused one was rolled back)."""
    if error.params.get("held_user_ids"):
        record_now(action, found, user_ids=error.params["held_user_ids"][:500], **details)


def _keep_credentials(found: Cohort, result: roster.ImportResult, kind: str) -> str:
    value = {"kind": kind, "created": result.created, "enrolled_existing": result.enrolled_existing,
             "already_enrolled": result.already_enrolled, "batch_id": result.batch_id,
             "rows": roster.credential_rows(result.credentials)}
    return uploads.keep_json("credentials", value, current_user.id, found.id)


@bp.route("/cohorts/<cohort_slug>/enrol/confirm", methods=["POST"])
@access("trainer")
def confirm(cohort_slug: str) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    form = ConfirmForm()
    stored = uploads.fetch("upload", form.token.data or "", current_user.id, found.id) \
        if form.validate_on_submit() else None
    if stored is None:
        flash(_("The uploaded file has expired or was already imported. Please upload it "
                "again."), "error")
        return redirect(url_for("reports.enrol", cohort_slug=found.slug))
    data, payload = stored
    parsed = roster.parse_roster(data, payload.get("f", "roster"))
    invite = form.delivery.data == "invite"
    try:
        result = roster.import_roster(parsed, found, current_user, invite=invite)
    except ServiceError as error:
        db.session.rollback()
        _audit_refusal("cohort.import_refused", found, error, file=parsed.filename[:200])
        if error.code != "roster_invalid":
            flash(service_error_text(error.code, error.message), "error")
        return _preview(found, parsed, form.token.data)
    uploads.forget("upload", form.token.data or "", current_user.id, found.id)
    if invite:
        flash(_("Import finished: %(created)s new accounts, each invited by mail; "
                "%(existing)s existing accounts enrolled.", created=result.created,
                existing=result.enrolled_existing), "success")
        return redirect(url_for("reports.cohort", cohort_slug=found.slug))
    token = _keep_credentials(found, result, "import")
    return redirect(url_for("reports.credentials", cohort_slug=found.slug, token=token))


def _login_url() -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for("auth.login")
    return url_for("auth.login", _external=True)


def _credentials_or_404(found: Cohort, token: str) -> dict[str, Any]:
    value = uploads.fetch_json("credentials", token, current_user.id, found.id)
    if value is None:
        abort(404)
    return value


@bp.route("/cohorts/<cohort_slug>/enrol/credentials/<token>")
@access("trainer")
def credentials(cohort_slug: str, token: str) -> str:
    found = cohort_or_404(cohort_slug)
    value = _credentials_or_404(found, token)
    batch = password_batch.progress(value["batch_id"]) if value.get("batch_id") else None
    return render_template("reports/credentials.html", cohort=found, result=value, token=token,
                           login_url=_login_url(), batch=batch)


@bp.route("/cohorts/<cohort_slug>/enrol/credentials/<token>.csv", methods=["POST"])
@access("trainer")
def credentials_csv(cohort_slug: str, token: str) -> Response:
    found = cohort_or_404(cohort_slug)
    value = _credentials_or_404(found, token)
    record_now("export.credentials", found, rows=len(value["rows"]))
    return csv_download(f"mat-khau-{found.slug}.csv", list(roster.CREDENTIAL_COLUMNS),
                        value["rows"])


@bp.route("/cohorts/<cohort_slug>/enrol/credentials/<token>/forget", methods=["POST"])
@access("trainer")
def forget_credentials(cohort_slug: str, token: str) -> Response:
    found = cohort_or_404(cohort_slug)
    if ActionForm().validate_on_submit():
        uploads.forget("credentials", token, current_user.id, found.id)
        flash(_("The one-time passwords were deleted from the server."), "success")
    return redirect(url_for("reports.cohort", cohort_slug=found.slug))


def _trainee_form_errors(form: TraineeForm, errors: list[roster.RowError]) -> None:
    for error in errors:
        field = getattr(form, error.column or "email", form.email)
        field.errors = [*field.errors, row_error_text(error)]


@bp.route("/cohorts/<cohort_slug>/trainees", methods=["POST"])
@access("trainer")
def add_trainee(cohort_slug: str) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    form = TraineeForm()
    if not form.validate_on_submit():
        return _enrol_page(found, 400, trainee_form=form)
    try:
        result = cohorts.add_trainee(found, form.full_name.data or "", form.email.data or "",
                                     form.unit.data, form.position.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        _audit_refusal("cohort.enrol_refused", found, error)
        _trainee_form_errors(form, error.params.get("errors") or [roster.RowError(
            2, "email", error.code, service_error_text(error.code, error.message))])
        return _enrol_page(found, 400, trainee_form=form)
    if not result.credentials:
        flash(_("The existing account was added to the cohort."), "success")
        return redirect(url_for("reports.cohort", cohort_slug=found.slug))
    token = _keep_credentials(found, result, "add")
    return redirect(url_for("reports.credentials", cohort_slug=found.slug, token=token))


def _trainee_or_404(found: Cohort, user_id: int) -> Any:
    try:
        return cohorts.trainee_of(found, user_id)
    except NotFound:
        abort(404)


@bp.route("/cohorts/<cohort_slug>/trainees/<int:user_id>/remove", methods=["POST"])
@access("trainer")
def remove_trainee(cohort_slug: str, user_id: int) -> Response:
    found = cohort_or_404(cohort_slug)
    person = _trainee_or_404(found, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    cohorts.remove_trainee(found, person, current_user.id)
    flash(_("%(name)s was removed from the cohort. Their account and results are kept.",
            name=person.full_name), "success")
    return redirect(url_for("reports.cohort", cohort_slug=found.slug))


@bp.route("/cohorts/<cohort_slug>/trainees/<int:user_id>/reset-password", methods=["POST"])
@access("trainer")
def reset_password(cohort_slug: str, user_id: int) -> Response:
    found = cohort_or_404(cohort_slug)
    person = _trainee_or_404(found, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        credential = cohorts.reset_password(found, person, current_user)
    except NotFound:
        abort(404)
    except ServiceError as error:
        db.session.rollback()
        record_now("user.password_reset_refused", found, user_id=person.id, reason=error.code)
        flash(service_error_text(error.code, error.message), "error")
        return redirect(url_for("reports.trainee", cohort_slug=found.slug, user_id=person.id))
    token = _keep_credentials(found, roster.ImportResult([credential], 0, 0, 0), "reset")
    return redirect(url_for("reports.credentials", cohort_slug=found.slug, token=token))
