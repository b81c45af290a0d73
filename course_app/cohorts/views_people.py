"""A cohort's trainers (/reports/cohorts/<cohort>/trainers) and moving a trainee to another
cohort of the same course (a POST from the trainee's page in reports)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Cohort
from ..reports import trainee as reports_trainee
from ..reports.cohorts import cohort_for, cohorts_for, trainee_of
from ..reports.forms import ActionForm
from ..security.access import access
from . import trainers
from .forms import MoveForm, TrainerForm
from .messages import error_text
from .views import Page, bp, cohort_or_404, place_errors


def _trainers_page(found: Cohort, form: TrainerForm | None = None, status: int = 200) -> Page:
    page = render_template("cohorts/trainers.html", cohort=found,
                           trainers=trainers.trainers_of(found), form=form or TrainerForm(),
                           action_form=ActionForm())
    return (page, status) if status != 200 else page


@bp.route("/<cohort_slug>/trainers", methods=["GET", "POST"])
@access("trainer")
def trainers_page(cohort_slug: str) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    form = TrainerForm()
    if not form.validate_on_submit():
        return _trainers_page(found, form, 400 if form.is_submitted() else 200)
    try:
        added = trainers.add_trainer(found, form.email.data or "", current_user)
    except ServiceError as error:
        db.session.rollback()
        place_errors(form, error)
        return _trainers_page(cohort_or_404(cohort_slug), form, 400)
    flash(_("%(name)s now teaches this cohort.", name=added.full_name), "success")
    return redirect(url_for("cohorts.trainers_page", cohort_slug=found.slug))


@bp.route("/<cohort_slug>/trainers/<int:user_id>/remove", methods=["POST"])
@access("trainer")
def remove_trainer(cohort_slug: str, user_id: int) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:  # someone not (or no longer) teaching it: a page shown before another removed them
        person = trainers.trainer_of(found, user_id=user_id)
        trainers.remove_trainer(found, person, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error_text(error.code, error.message), "error")
        return redirect(url_for("cohorts.trainers_page", cohort_slug=cohort_slug))
    flash(_("%(name)s no longer teaches this cohort.", name=person.full_name), "success")
    if person.id == current_user.id and not current_user.is_admin:
        return redirect(url_for("learn.dashboard"))  # the cohort is no longer theirs
    return redirect(url_for("cohorts.trainers_page", cohort_slug=found.slug))


def move_form(cohort: Cohort, form: MoveForm | None = None) -> MoveForm:
    """The move form of a trainee of `cohort`, its select holding the cohorts of the same
    course that the signed-in user manages (a template global for reports/trainee.html)."""
    form = form or MoveForm(formdata=None)
    managed = [item.cohort for item in cohorts_for(current_user)]
    form.to.choices = [(c.slug, c.name) for c in trainers.move_targets(cohort, managed)]
    return form


bp.add_app_template_global(move_form, "cohort_move_form")


@bp.route("/<cohort_slug>/trainees/<int:user_id>/move", methods=["POST"])
@access("trainer")
def move(cohort_slug: str, user_id: int) -> Page | Response:
    found = cohort_or_404(cohort_slug)
    try:
        person = trainee_of(found, user_id)
    except NotFound:
        abort(404)
    form = move_form(found, MoveForm())
    if form.validate_on_submit():
        try:
            target = cohort_for(current_user, form.to.data or "")
            trainers.move_trainee(found, person, target, current_user)
        except NotFound:
            form.to.errors = [error_text("unknown_target")]
        except ServiceError as error:
            place_errors(form, error)
        else:
            flash(_("%(name)s was moved to “%(cohort)s”. Their results were kept.",
                    name=person.full_name, cohort=target.name), "success")
            return redirect(url_for("reports.trainee", cohort_slug=target.slug,
                                    user_id=person.id))
    db.session.rollback()
    found = cohort_or_404(cohort_slug)
    person = trainee_of(found, user_id)
    page = render_template("reports/trainee.html", cohort=found,
                           report=reports_trainee.trainee_report(found, person),
                           action_form=ActionForm(), move_form=move_form(found, form))
    return page, 400
