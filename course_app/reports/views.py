"""Cohort dashboards and score reports for trainers (the cohort's trainers; admins see all).
Every route loads the cohort through cohorts.cohort_for, so a foreign cohort is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import format_date
from flask_login import current_user

from ..certificates.service import status_of
from ..domain.errors import NotFound
from ..exports import content_disposition, csv_download, xlsx_download, zip_stream
from ..i18n import percent
from ..models import Cohort
from ..people import audit
from ..security.access import access
from . import (
    charts,
    cohorts,
)
from . import (
    exports as reports_exports,
)
from . import (
    items as reports_items,
)
from . import (
    service as reports,
)
from . import (
    trainee as reports_trainee,
)
from . import waiting as reports_waiting
from .forms import ActionForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.add_app_template_global(status_of, "certificate_state")

SELECTIONS = ("highest", "first", "last", "all")


@bp.app_template_filter("report_percent")
def report_percent(value: float | None) -> str:
    """The app's percent format (cached per language by i18n.percent)."""
    return percent(value)


@bp.app_template_filter("report_date")
def report_date(value: date | None) -> str:
    return "" if value is None else format_date(value, "short")


def cohort_or_404(slug: str) -> Cohort:
    try:
        return cohorts.cohort_for(current_user, slug)
    except NotFound:
        abort(404)


def record_now(action: str, cohort: Cohort, **details: Any) -> None:
    """Audit an export. Exports are POSTs (a GET never writes): the request that makes the
    file records who took it."""
    audit.record(action, current_user.id, f"cohort:{cohort.id}", **details)


@bp.route("/")
@access("trainer")
def index() -> str:
    items = cohorts.cohorts_for(current_user)
    with_archived = request.args.get("archived") == "1"  # archived cohorts: on request only
    shown = [i for i in items if with_archived or not i.cohort.archived]
    return render_template("reports/index.html", items=shown, archived=len(items) - len(shown),
                           with_archived=with_archived)


@bp.route("/cohorts/<cohort_slug>")
@access("trainer")
def cohort(cohort_slug: str) -> str:
    found = cohort_or_404(cohort_slug)
    report = reports.cohort_report(found)
    unit = request.args.get("unit") or None
    state = request.args.get("status") or None
    query = (request.args.get("q") or "").strip()[:100]
    rows = reports.filter_trainees(report.trainees, unit, state, query)
    page = reports.paginate(rows, request.args.get("page", 1, type=int) or 1)
    return render_template("reports/cohort.html", cohort=found, report=report, page=page,
                           unit=unit, state=state, query=query, states=reports.STATES,
                           charts=charts, waiting=reports_waiting.essays_waiting(found))


def _scores(found: Cohort) -> tuple[list[str], list[list[Any]]]:
    return reports_exports.score_table(reports.cohort_report(found, with_activity=True))


@bp.route("/cohorts/<cohort_slug>/scores.csv", methods=["POST"])
@access("trainer")
def scores_csv(cohort_slug: str) -> Response:
    found = cohort_or_404(cohort_slug)
    header, rows = _scores(found)
    record_now("export.scores", found, format="csv", rows=len(rows))
    return csv_download(f"ket-qua-{found.slug}.csv", header, rows)


@bp.route("/cohorts/<cohort_slug>/scores.xlsx", methods=["POST"])
@access("trainer")
def scores_xlsx(cohort_slug: str) -> Response:
    found = cohort_or_404(cohort_slug)
    header, rows = _scores(found)
    record_now("export.scores", found, format="xlsx", rows=len(rows))
    return xlsx_download(f"ket-qua-{found.slug}.xlsx", header, rows, found.name)


def _certificates(found: Cohort) -> tuple[list[str], list[list[Any]]]:
    return reports_exports.certificate_table(reports_exports.cohort_certificates(found))


@bp.route("/cohorts/<cohort_slug>/certificates.csv", methods=["POST"])
@access("trainer")
def certificates_csv(cohort_slug: str) -> Response:
    found = cohort_or_404(cohort_slug)
    header, rows = _certificates(found)
    record_now("export.certificates", found, format="csv", rows=len(rows))
    return csv_download(f"so-chung-nhan-{found.slug}.csv", header, rows)


@bp.route("/cohorts/<cohort_slug>/certificates.xlsx", methods=["POST"])
@access("trainer")
def certificates_xlsx(cohort_slug: str) -> Response:
    found = cohort_or_404(cohort_slug)
    header, rows = _certificates(found)
    record_now("export.certificates", found, format="xlsx", rows=len(rows))
    return xlsx_download(f"so-chung-nhan-{found.slug}.xlsx", header, rows, found.name)


@bp.route("/cohorts/<cohort_slug>/certificates.zip", methods=["POST"])
@access("trainer")
def certificates_zip(cohort_slug: str) -> Response:
    found = cohort_or_404(cohort_slug)
    held = reports_exports.cohort_certificates(found)
    record_now("export.certificate_pdfs", found, format="zip",
               files=sum(1 for c, _user in held if status_of(c) == "valid"))
    stream = stream_with_context(zip_stream(reports_exports.certificate_pdfs(held)))
    response = Response(stream, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(
        f"chung-nhan-{found.slug}.zip")
    return response


@bp.route("/cohorts/<cohort_slug>/trainees/<int:user_id>")
@access("trainer")
def trainee(cohort_slug: str, user_id: int) -> str:
    found = cohort_or_404(cohort_slug)
    try:
        person = cohorts.trainee_of(found, user_id)
    except NotFound:
        abort(404)
    return render_template("reports/trainee.html", cohort=found,
                           report=reports_trainee.trainee_report(found, person),
                           action_form=ActionForm())


@bp.route("/cohorts/<cohort_slug>/quizzes/<quiz_slug>")
@access("trainer")
def quiz(cohort_slug: str, quiz_slug: str) -> str:
    found = cohort_or_404(cohort_slug)
    try:
        item = reports_items.quiz_of(found, quiz_slug)
    except NotFound:
        abort(404)
    default = item.grading if item.grading in SELECTIONS else "all"
    selection = request.args.get("attempts", default)
    if selection not in SELECTIONS:
        selection = default
    analysis = reports_items.quiz_analysis(found, item, selection)
    return render_template("reports/quiz.html", cohort=found, analysis=analysis,
                           selections=SELECTIONS, charts=charts)
