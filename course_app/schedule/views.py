"""The office's deadline pages for a cohort: its trainees' overrides and its quiz windows. The
cohort's trainers and admins only (reports/cohorts.py `cohort_for`: another cohort is 404).
A refused form is shown again with each error beside its field, and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.deadlines import Extension
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..i18n import tr
from ..models import Cohort, Override, Quiz, User
from ..reports.cohorts import cohort_for
from ..reports.forms import ActionForm
from ..security.access import access
from . import overrides, shown, windows
from .dates import zone
from .forms import EVERY_QUIZ, OverrideForm, OverrideValuesForm, WindowForm
from .messages import field_error

bp = Blueprint("schedule", __name__, url_prefix="/reports")
bp.add_app_template_global(shown.time_left_text, "time_left_text")
bp.add_app_template_filter(shown.deadline_dt, "deadline_dt")
bp.add_app_template_filter(shown.deadline_date, "deadline_date")

Page = str | tuple[str, int]


def _cohort(slug: str) -> Cohort:
    try:
        return cohort_for(current_user, slug)
    except NotFound:
        abort(404)


def to_utc(local: datetime | None) -> datetime | None:
    """A date and time typed in the app's time zone, as UTC."""
    return None if local is None else local.replace(tzinfo=zone()).astimezone(UTC)


def to_local(moment: datetime | None) -> datetime | None:
    """For a form: the app's time zone, without the zone (as datetime-local shows it)."""
    return None if moment is None else moment.astimezone(zone()).replace(tzinfo=None)


def _errors_beside(form: Any, error: ServiceError, window: bool = False) -> None:
    for name, code in (error.params.get("errors") or {}).items():
        field = getattr(form, name)
        field.errors = [*field.errors, field_error(code, window)]


def _fill_choices(form: OverrideForm, found: Cohort) -> None:
    form.user_id.choices = [(u.id, f"{u.full_name} · {u.email}")
                            for u in overrides.trainees_of(found)]
    form.quiz_id.choices = [(EVERY_QUIZ, _("Every quiz of the course")),
                            *((str(q.id), _title(q.title))
                              for q in windows.course_quizzes(found))]


def _title(title: Any) -> str:
    return str(tr(title))


def _wanted(form: OverrideValuesForm) -> Extension:
    return Extension(to_utc(form.closes_at.data), form.extra_attempts.data or 0,
                     form.extra_minutes.data or 0)


def _overrides_page(found: Cohort, form: OverrideForm | None = None, status: int = 200) -> Page:
    if form is None:
        form = OverrideForm(formdata=None)
        _fill_choices(form, found)
    page = render_template("schedule/overrides.html", cohort=found, form=form,
                           rows=overrides.overrides_of(found), action=ActionForm(),
                           cohort_times=windows.cohort_times(found))
    return (page, status) if status != 200 else page


@bp.route("/cohorts/<cohort_slug>/overrides", methods=["GET", "POST"])
@access("trainer")
def overrides_page(cohort_slug: str) -> Page | Response:
    found = _cohort(cohort_slug)
    form = OverrideForm() if _posting() else None
    if form is None:
        return _overrides_page(found)
    _fill_choices(form, found)
    if not form.validate_on_submit():
        return _overrides_page(found, form, 400)
    quiz = None
    if form.quiz_id.data not in (None, EVERY_QUIZ):
        try:
            quiz = windows.quiz_of(found, int(form.quiz_id.data))
        except (NotFound, ValueError):
            form.quiz_id.errors = [field_error("not_in_course")]
            return _overrides_page(found, form, 400)
    try:
        overrides.add_override(found, form.user_id.data, quiz, _wanted(form), current_user)
    except ServiceError as error:
        db.session.rollback()
        _errors_beside(form, error)
        return _overrides_page(found, form, 400)
    flash(_("The override has been saved."), "success")
    return redirect(url_for("schedule.overrides_page", cohort_slug=found.slug))


def _posting() -> bool:
    return request.method == "POST"


def _override(found: Cohort, override_id: int) -> Override:
    try:
        return overrides.override_of(found, override_id)
    except NotFound:
        abort(404)


@bp.route("/cohorts/<cohort_slug>/overrides/<int:override_id>", methods=["GET", "POST"])
@access("trainer")
def edit_override(cohort_slug: str, override_id: int) -> Page | Response:
    found = _cohort(cohort_slug)
    row = _override(found, override_id)
    if not _posting():
        form = OverrideValuesForm(formdata=None, closes_at=to_local(row.closes_at),
                                  extra_attempts=row.extra_attempts,
                                  extra_minutes=row.extra_minutes)
        return _edit_page(found, row, form)
    form = OverrideValuesForm()
    if not form.validate_on_submit():
        return _edit_page(found, row, form, 400)
    try:
        overrides.change_override(found, row, _wanted(form), current_user)
    except ServiceError as error:
        db.session.rollback()
        _errors_beside(form, error)
        return _edit_page(found, _override(found, override_id), form, 400)
    flash(_("The override has been saved."), "success")
    return redirect(url_for("schedule.overrides_page", cohort_slug=found.slug))


def _edit_page(found: Cohort, row: Override, form: OverrideValuesForm,
               status: int = 200) -> Page:
    trainee = db.session.get(User, row.user_id)
    quiz = db.session.get(Quiz, row.quiz_id) if row.quiz_id else None
    page = render_template("schedule/override_edit.html", cohort=found, row=row, form=form,
                           trainee=trainee, quiz=quiz)
    return (page, status) if status != 200 else page


@bp.route("/cohorts/<cohort_slug>/overrides/<int:override_id>/delete", methods=["POST"])
@access("trainer")
def delete_override(cohort_slug: str, override_id: int) -> Response:
    found = _cohort(cohort_slug)
    row = _override(found, override_id)
    if ActionForm().validate_on_submit():
        overrides.delete_override(found, row, current_user)
        flash(_("The override has been deleted."), "success")
    return redirect(url_for("schedule.overrides_page", cohort_slug=found.slug))


def _windows_page(found: Cohort, form: WindowForm | None = None, status: int = 200) -> Page:
    quizzes = windows.course_quizzes(found)
    if form is None:
        form = WindowForm(formdata=None)
    form.quiz_id.choices = [(q.id, _title(q.title)) for q in quizzes]
    page = render_template("schedule/windows.html", cohort=found, form=form, quizzes=quizzes,
                           windows=windows.windows_of(found), action=ActionForm(),
                           cohort_times=windows.cohort_times(found))
    return (page, status) if status != 200 else page


@bp.route("/cohorts/<cohort_slug>/windows", methods=["GET", "POST"])
@access("trainer")
def windows_page(cohort_slug: str) -> Page | Response:
    found = _cohort(cohort_slug)
    if not _posting():
        return _windows_page(found)
    form = WindowForm()
    form.quiz_id.choices = [(q.id, _title(q.title)) for q in windows.course_quizzes(found)]
    if not form.validate_on_submit():
        return _windows_page(found, form, 400)
    try:
        quiz = windows.quiz_of(found, form.quiz_id.data)
    except NotFound:
        form.quiz_id.errors = [field_error("not_in_course")]
        return _windows_page(found, form, 400)
    try:
        windows.set_window(found, quiz, to_utc(form.opens_at.data), to_utc(form.closes_at.data),
                           current_user)
    except ServiceError as error:
        db.session.rollback()
        _errors_beside(form, error, window=True)
        return _windows_page(found, form, 400)
    flash(_("The quiz's dates have been saved."), "success")
    return redirect(url_for("schedule.windows_page", cohort_slug=found.slug))


@bp.route("/cohorts/<cohort_slug>/windows/<int:quiz_id>/delete", methods=["POST"])
@access("trainer")
def clear_window(cohort_slug: str, quiz_id: int) -> Response:
    found = _cohort(cohort_slug)
    try:
        quiz = windows.quiz_of(found, quiz_id)
    except NotFound:
        abort(404)
    if ActionForm().validate_on_submit() and windows.clear_window(found, quiz, current_user):
        flash(_("The quiz now follows the cohort's dates."), "success")
    return redirect(url_for("schedule.windows_page", cohort_slug=found.slug))
