"""The progress of an import's one-time passwords being hashed (people/password_batch.py): a
small page that reloads itself every few seconds while the job runs (the HTTP Refresh header:
no JavaScript needed), reached from the credentials sheet, which itself never reloads under
the reader's eyes."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from ..people import password_batch
from ..security.access import access
from . import uploads
from .views import bp, cohort_or_404

REFRESH_SECONDS = 3


@bp.route("/cohorts/<cohort_slug>/enrol/credentials/<token>/progress")
@access("trainer")
def credentials_progress(cohort_slug: str, token: str) -> Response:
    found = cohort_or_404(cohort_slug)
    value = uploads.fetch_json("credentials", token, current_user.id, found.id)
    if value is None or not value.get("batch_id"):
        abort(404)
    batch = password_batch.progress(value["batch_id"])
    if batch is None:
        abort(404)
    response = current_app.make_response(render_template(
        "reports/credentials_progress.html", cohort=found, batch=batch, token=token,
        refresh=REFRESH_SECONDS))
    if batch.status == "running":
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response
