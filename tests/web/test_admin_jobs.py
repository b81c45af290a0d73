"""/admin/jobs: the queue's counts and the failed jobs (RQ's failed-job registry on the real
Redis), for site administrators only; a job that keeps failing is retried by the worker, then
listed with its error and never its arguments; "retry" runs it again, "delete" forgets it,
both audited POSTs. Without a queue the page says so and where failures are logged."""

from __future__ import annotations

import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.jobs import queue
from course_app.models import AuditEvent, Organisation, User

from ..helpers import post, sign_in
from ..mail import smtp_server
from ..mail.test_queue import jobs_redis as jobs_redis  # noqa: F401  (the fixture)

SECRET = "one-time-password-Kq7-42"  # in the job's arguments: never on the page


def _admin_client(app, make_user, email="quantri@example.vn"):
    user = make_user("admin", email=email, name="Quản Trị Viên")
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302
    return client, user


def _actions(action):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_a_failing_job_is_retried_listed_with_its_error_and_retried_from_the_page(
        app, make_user, runner, jobs_redis):  # noqa: F811
    client, admin = _admin_client(app, make_user)
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none",
                      MAIL_SENDER="khoahoc@example.vn")
    raw = f"To: hai@example.vn\r\nSubject: x\r\n\r\n{SECRET}".encode()
    queue.put(app, "course_app.mail.transport:deliver", {"raw": raw})
    assert "ran 3 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output

    response = client.get("/admin/jobs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "course_app.mail.transport:deliver" in html and "ConnectionRefusedError" in html
    assert SECRET not in html and "hai@example.vn" not in html  # never the arguments
    [job] = queue.failed_jobs(app)
    assert job.attempts == 3
    assert f'action="/admin/jobs/{job.id}/retry"' in html
    assert not _actions("jobs.retry")  # the GET wrote nothing

    controller, inbox = smtp_server.start("plain")
    try:
        app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}?tls=none"
        assert client.post(f"/admin/jobs/{job.id}/retry").status_code == 400  # no CSRF token
        done = post(client, f"/admin/jobs/{job.id}/retry")
        assert done.status_code == 302 and done.headers["Location"].endswith("/admin/jobs")
        assert queue.counts(app) == queue.Counts(waiting=1, running=0, scheduled=0, failed=0)
        assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
        [message] = inbox.wait_for(1)
        assert SECRET in message.get_body(("plain",)).get_content()
    finally:
        controller.stop()
    [event] = _actions("jobs.retry")
    assert (event.actor_id, event.target) == (admin.id, job.id)
    assert event.details["job"] == "course_app.mail.transport:deliver"
    assert "No job has failed" in client.get("/admin/jobs").get_data(as_text=True)
    # A job no longer failed cannot be retried twice.
    assert post(client, f"/admin/jobs/{job.id}/retry").status_code == 302
    assert len(_actions("jobs.retry")) == 1


def test_a_failed_job_is_deleted_from_the_page(app, make_user, runner, jobs_redis):  # noqa: F811
    client, admin = _admin_client(app, make_user)
    app.config.update(JOBS_MAX_ATTEMPTS=1,
                      MAIL_URL=f"smtp://127.0.0.1:{smtp_server.free_port()}?tls=none")
    queue.put(app, "course_app.mail.transport:deliver", {"raw": b"To: x@example.vn\r\n\r\nhi"})
    assert "ran 1 job(s)" in runner.invoke(args=["jobs", "worker", "--burst"]).output
    [job] = queue.failed_jobs(app)
    assert job.attempts == 1
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "<dt>Failed</dt><dd>1</dd>" in html or ">1</dd>" in html
    assert post(client, f"/admin/jobs/{job.id}/delete").status_code == 302
    assert queue.failed_jobs(app) == [] and queue.counts(app).failed == 0
    [event] = _actions("jobs.delete")
    assert (event.actor_id, event.target) == (admin.id, job.id)
    assert post(client, "/admin/jobs/not%20a%20job/delete").status_code == 404


def test_only_site_admins_see_the_page(app, make_user, jobs_redis):  # noqa: F811
    with writing():
        organisation = Organisation(slug="so-noi-vu", name={"vi": "Sở Nội vụ", "en": "Home"})
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    client, org_admin = _admin_client(app, make_user, "qt.noivu@example.vn")
    with writing():
        db.session.get(User, org_admin.id).organisation_id = organisation_id
        db.session.commit()
    assert client.get("/admin/jobs").status_code == 404
    assert post(client, "/admin/jobs/abc/retry").status_code == 404
    assert "/admin/jobs" not in client.get("/admin/users").get_data(as_text=True)
    trainer = app.test_client()
    sign_in(trainer, make_user("trainer").email)
    assert trainer.get("/admin/jobs").status_code == 403


def test_without_a_queue_the_page_says_where_failures_are_logged(app, make_user):
    client, _admin = _admin_client(app, make_user)
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "COURSE_APP_JOBS_URL is not set" in html and "error log" in html
    post(client, "/language", {"locale": "vi", "next": "/"})
    assert "Chưa đặt COURSE_APP_JOBS_URL" in client.get("/admin/jobs").get_data(as_text=True)
    assert post(client, "/admin/jobs/abc/retry").status_code == 404


def test_an_unreachable_queue_is_a_clear_page(app, make_user):
    client, _admin = _admin_client(app, make_user)
    app.config["JOBS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/admin/jobs")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)
