"""Failed background jobs, for site administrators: the queue's counts and the jobs that failed
every attempt (RQ's failed-job registry, jobs/queue.py), each with its name, when, attempts and
the last line of its error, never its arguments (a mail, an encrypted password); "retry" and
"delete" are audited POSTs. Without COURSE_APP_JOBS_URL there is no queue: the page says where
failures are logged. A GET only reads (Redis included, bar RQ's own registry clean-up)."""

from __future__ import annotations

import re

import redis
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..jobs import queue
from ..people import audit
from ..security.access import access
from .staff import is_site_admin
from .views import bp

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class JobActionForm(FlaskForm):
    """Only the CSRF token: the job is in the URL."""


def _site_admin_only() -> None:
    if not is_site_admin(current_user):  # an organisation's administrator: not their page
        abort(404)


@bp.route("/jobs")
@access("admin")
def jobs() -> tuple[str, int]:
    _site_admin_only()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("JOBS_URL"):
        return render_template("admin/jobs.html", queued=False), 200
    try:
        counts, failed = queue.counts(app), queue.failed_jobs(app)
    except redis.RedisError as error:
        app.logger.warning("the jobs page cannot read the queue: %s", error)
        return render_template("admin/jobs.html", queued=True, unreachable=True), 503
    return render_template("admin/jobs.html", queued=True, counts=counts, failed=failed,
                           limit=queue.LISTED), 200


def _act(job_id: str, action: str) -> Response:
    _site_admin_only()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("JOBS_URL") or not JOB_ID.match(job_id):
        abort(404)
    if not JobActionForm().validate_on_submit():
        abort(400)
    try:
        names = {job.id: job.name for job in queue.failed_jobs(app)}
        done = job_id in names and (queue.retry if action == "retry" else queue.delete)(
            app, job_id)
    except redis.RedisError as error:
        app.logger.warning("the jobs page cannot reach the queue: %s", error)
        flash(_("The jobs queue cannot be reached; try again in a moment."), "error")
        return redirect(url_for("admin.jobs"))
    if not done:
        flash(_("That job is no longer in the failed list."), "error")
        return redirect(url_for("admin.jobs"))
    audit.record(f"jobs.{action}", current_user.id, job_id, job=names[job_id])
    flash(_("The job %(name)s is back on the queue.", name=names[job_id]) if action == "retry"
          else _("The job %(name)s was deleted.", name=names[job_id]), "success")
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs/<job_id>/retry", methods=["POST"])
@access("admin")
def retry_job(job_id: str) -> Response:
    return _act(job_id, "retry")


@bp.route("/jobs/<job_id>/delete", methods=["POST"])
@access("admin")
def delete_job(job_id: str) -> Response:
    return _act(job_id, "delete")
