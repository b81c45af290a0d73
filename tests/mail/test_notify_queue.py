"""Reminders on the real Redis queue: the command only enqueues; a real `flask jobs worker`
sends them; twin jobs (the command run twice before the worker) still mail each person once."""

from __future__ import annotations

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import NotificationSent

from .test_notify_reminders import _ends_in, _to
from .test_queue import _worker_process, waiting
from .test_queue import jobs_redis as jobs_redis  # noqa: F401  (the fixture)


def test_the_command_enqueues_and_the_worker_sends_once(app, runner, make_user, cohort, smtp,
                                                       jobs_redis):  # noqa: F811
    for name in ("an", "binh"):
        make_user("trainee", email=f"{name}@example.vn", cohort=cohort)
    _ends_in(2)
    for _ in range(2):  # twice before any worker ran: four jobs, two of them twins
        result = runner.invoke(args=["notify", "reminders"])
        assert result.exit_code == 0, result.output
        assert "2 queued" in result.output and "flask jobs worker" in result.output
    jobs = waiting(app, jobs_redis)
    assert [job.description for job in jobs] == ["course_app.notify.reminders:send_reminder"] * 4
    assert smtp.wait_for(1, timeout=0.5) == []  # nothing sent by the command itself

    done = _worker_process(app)
    assert done.returncode == 0, done.stderr
    assert "ran 6 job(s)" in done.stdout  # four reminder jobs, two mail deliveries
    assert _to(smtp.wait_for(2)) == ["an@example.vn", "binh@example.vn"]
    assert len(smtp.wait_for(3, timeout=0.5)) == 2
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSent)) == 2
    rerun = runner.invoke(args=["notify", "reminders"])
    assert "0 queued, 2 sent before" in rerun.output


def test_an_unreachable_queue_is_a_clear_error_and_nothing_is_recorded(app, runner, make_user,
                                                                      cohort, smtp):
    make_user("trainee", email="an@example.vn", cohort=cohort)
    _ends_in(2)
    app.config["JOBS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    result = runner.invoke(args=["notify", "reminders"])
    assert result.exit_code == 1
    assert "the jobs queue cannot be reached" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSent)) == 0
