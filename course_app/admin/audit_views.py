"""The audit log for administrators: each event as a sentence in the reader's language
(people/audit_sentences.py), filtered by person, kind and dates, 100 per page, and exported as
CSV by a POST that records itself (a GET never writes)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..exports import csv_download
from ..people import audit, audit_sentences
from ..security.access import access
from .forms import AuditFilterForm, choices
from .views import bp


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _query_without_page() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != "page" and v}


def _audit_filters() -> tuple[AuditFilterForm, audit.AuditFilter | None]:
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = choices([("", _("All kinds"))] + audit_sentences.kind_choices(
        audit.known_actions()))
    if not form.validate():
        return form, None
    return form, audit.AuditFilter(actor=form.actor.data or "", action=form.action.data or "",
                                   since=form.since.data, until=form.until.data)


@bp.route("/audit")
@access("admin")
def audit_log() -> tuple[str, int]:
    form, filters = _audit_filters()
    found = audit.search_events(filters or audit.AuditFilter(), _page())
    return render_template("admin/audit.html", form=form, found=found,
                           query=_query_without_page(),
                           valid=filters is not None), 200 if filters else 400


@bp.route("/audit.csv", methods=["POST"])
@access("admin")
def audit_csv() -> Response:
    _form, filters = _audit_filters()
    if filters is None:
        abort(400)
    rows = audit.export_rows(filters)
    # A POST (a GET never writes): the request that makes the file records who took it.
    audit.record("audit.export", current_user.id, None, rows=len(rows),
                 filters={k: v for k, v in request.args.items() if v})
    return csv_download("nhat-ky-kiem-toan.csv", list(audit.EXPORT_HEADER), rows)
