"""Cohorts in the browser (/reports/cohorts/new, …/edit, archiving) and the start page of
trainers and administrators. Every cohort is loaded through reports.cohorts.cohort_for, so a
cohort the user may not manage is a 404 on every page and action."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..i18n import tr
from ..models import Cohort
from ..reports.cohorts import cohort_for
from ..reports.forms import ActionForm
from ..security.access import access
from . import service, start
from .forms import CohortForm
from .messages import error_text

bp = Blueprint("cohorts", __name__, url_prefix="/reports/cohorts")

Page = str | tuple[str, int]


def cohort_or_404(slug: str) -> Cohort:
    try:
        return cohort_for(current_user, slug)
    except NotFound:
        abort(404)


def place_errors(form: Any, error: ServiceError) -> None:
    """Each error beside its field (the form's first field when the error names none)."""
    errors = error.params.get("errors") or {error.params.get("field") or "": error.code}
    for name, code in errors.items():
        field = getattr(form, name, None) or next(f for f in form if f.name != "csrf_token")
        field.errors = [*field.errors, error_text(code, error.message)]


def _with_choices(form: CohortForm) -> CohortForm:
    form.course.choices = [(c.slug, tr(c.title)) for c in service.course_choices()]
    organisations = service.organisation_choices(current_user)
    first = (_("Choose an organisation") if organisations
             else _("None (the course's own issuer)"))
    form.organisation.choices = [("", first), *((o.slug, tr(o.name)) for o in organisations)]
    if not form.is_submitted() and form.organisation.data is None and len(organisations) == 1:
        form.organisation.data = organisations[0].slug
    return form


def _fields(form: CohortForm) -> service.CohortFields:
    return service.CohortFields(
        (form.slug.data or "").strip(), form.name.data or "", form.course.data or "",
        form.organisation.data or None, form.starts.data, form.ends.data)


def _form_page(form: CohortForm, found: Cohort | None, status: int = 200) -> Page:
    page = render_template("cohorts/form.html", form=form, cohort=found,
                           action_form=ActionForm())
    return (page, status) if status != 200 else page


@bp.route("/new", methods=["GET", "POST"])
@access("trainer")
def new() -> Page | Response:
    form = _with_choices(CohortForm())
    if not form.validate_on_submit():
        return _form_page(form, None, 400 if form.is_submitted() else 200)
    try:
        made = service.create_cohort(_fields(form), current_user)
    except ServiceError as error:
        db.session.rollback()
        place_errors(form, error)
        return _form_page(form, None, 400)
    flash(_("The cohort “%(name)s” was created. You are its trainer.", name=made.name),
          "success")
    return redirect(url_for("reports.cohort", cohort_slug=made.slug))


@bp.route("/<cohort_slug>/edit", methods=["GET", "POST"])
@access("trainer")
def edit(cohort_slug: str) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    if request.method == "GET":
        current = service.CohortFields.of(found)
        form = CohortForm(data={"slug": current.slug, "name": current.name,
                                "course": current.course,
                                "organisation": current.organisation or "",
                                "starts": current.starts, "ends": current.ends})
        return _form_page(_with_choices(form), found)
    form = _with_choices(CohortForm())
    if not form.validate_on_submit():
        return _form_page(form, found, 400)
    try:
        service.update_cohort(found, _fields(form), current_user)
    except ServiceError as error:
        db.session.rollback()
        place_errors(form, error)
        return _form_page(form, cohort_or_404(cohort_slug), 400)
    flash(_("The cohort was saved."), "success")
    return redirect(url_for("reports.cohort", cohort_slug=found.slug))


def _archive(cohort_slug: str, archived: bool) -> Response:
    found = cohort_or_404(cohort_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.set_archived(found, archived, current_user)
    flash(_("The cohort was archived. It is hidden from the lists; its results stay.")
          if archived else _("The cohort is active again."), "success")
    return redirect(url_for("reports.cohort", cohort_slug=found.slug))


@bp.route("/<cohort_slug>/archive", methods=["POST"])
@access("trainer")
def archive(cohort_slug: str) -> Response:
    return _archive(cohort_slug, True)


@bp.route("/<cohort_slug>/unarchive", methods=["POST"])
@access("trainer")
def unarchive(cohort_slug: str) -> Response:
    return _archive(cohort_slug, False)


def render_start() -> str:
    """GET / for trainers and administrators (learn.dashboard hands them over)."""
    with_archived = request.args.get("archived") == "1"
    page = start.start_page(current_user, current_app.config["TIMEZONE"], with_archived)
    return render_template("cohorts/start.html", page=page, with_archived=with_archived)
