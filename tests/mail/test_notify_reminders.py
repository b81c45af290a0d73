"""Deadline reminders and the trainers' digest (issue 20): `flask notify reminders` and
`flask notify digest` through a real SMTP server; once per person and deadline (or week), never
to those who finished or turned them off; the one-click unsubscribe link."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import (
    NotificationOptOut,
    NotificationSent,
    Override,
    Quiz,
    QuizWindow,
    User,
)
from course_app.models.types import utcnow
from course_app.people import accounts
from course_app.transaction import run_after_commit

from .conftest import settle

UNSUBSCRIBE = re.compile(r"https://khoahoc\.example\.vn(/unsubscribe/[A-Za-z0-9_.-]+)")


def _today() -> date:
    return utcnow().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _ends_in(days: int, cohort_slug: str = "lop-1") -> None:
    with writing():
        cohort = accounts.get_cohort(cohort_slug)
        cohort.starts_on, cohort.ends_on = _today() - timedelta(days=20), _today() + \
            timedelta(days=days)
        db.session.commit()


def _quiz(slug: str) -> Quiz:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def _window(closes_at: datetime, quiz: str = "final") -> None:
    with writing():
        db.session.add(QuizWindow(cohort_id=accounts.get_cohort("lop-1").id,
                                  quiz_id=_quiz(quiz).id, closes_at=closes_at))
        db.session.commit()


def _certify(user: User) -> None:
    with writing():
        certificates.issue_manually(db.session.get(User, user.id), accounts.get_course("demo"),
                                    "Học trực tiếp", None)
        db.session.commit()
    run_after_commit()


def _opt_out(user: User, kind: str = "reminders") -> None:
    with writing():
        db.session.add(NotificationOptOut(user_id=user.id, kind=kind))
        db.session.commit()


def _run(runner, *args: str) -> str:
    result = runner.invoke(args=["notify", *args])
    assert result.exit_code == 0, result.output
    settle()
    return result.output


def _to(messages) -> list[str]:
    return sorted(m["To"].addresses[0].addr_spec for m in messages)


@pytest.fixture
def people(make_user, cohort):
    return {name: make_user("trainee", email=f"{name}@example.vn", name=f"Học viên {name}",
                            cohort=cohort)
            for name in ("an", "binh", "chi", "dung")}


def test_cohort_end_reminders_go_once_and_not_to_finished_or_opted_out(
        app, runner, people, smtp):
    _ends_in(2)
    _certify(people["binh"])  # completed
    _opt_out(people["chi"])
    with writing():
        db.session.get(User, people["dung"].id).locale = "en"
        db.session.commit()
    output = _run(runner, "reminders")
    assert "2 queued, 0 sent before, 1 turned off" in output
    assert "2 of 2 mailed" in output
    messages = smtp.wait_for(2)
    assert _to(messages) == ["an@example.vn", "dung@example.vn"]
    by_person = {m["To"].addresses[0].addr_spec: m for m in messages}
    vi, en = by_person["an@example.vn"], by_person["dung@example.vn"]
    assert vi["Subject"] == "Nhắc nhở: sắp đến hạn" and en["Subject"] == \
        "Reminder: a deadline is coming"
    text = en.get_body(("plain",)).get_content()
    assert 'Your cohort "Lớp 1" (course "Test course") ends on' in text
    assert "https://khoahoc.example.vn/courses/demo" in text
    assert 'lang="vi"' in vi.get_body(("html",)).get_content()
    assert "chưa hoàn thành khóa học" in vi.get_body(("plain",)).get_content()
    # A signed one-click link, in the text, the HTML and the headers (RFC 2369, RFC 8058).
    link = UNSUBSCRIBE.search(text).group(0)
    assert en["List-Unsubscribe"] == f"<{link}>"
    # As written, never an encoded word (which clients would not read as a link).
    assert f"List-Unsubscribe: <{link}>\r\n".encode() in smtp.envelopes[
        messages.index(en)].content
    assert en["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in en.get_body(("html",)).get_content()
    # A rerun (tomorrow's cron, or twice today) sends nothing again.
    assert "0 queued, 2 sent before, 1 turned off" in _run(runner, "reminders")
    assert len(smtp.wait_for(3, timeout=0.5)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSent)) == 2


def test_no_reminder_outside_the_window_of_days(app, runner, people, smtp):
    _ends_in(5)
    assert "0 queued" in _run(runner, "reminders")
    assert "0 queued" in _run(runner, "reminders", "--days", "4")
    assert "4 queued" in _run(runner, "reminders", "--days", "5")
    assert len(smtp.wait_for(4)) == 4
    _ends_in(-1)  # ended yesterday: too late to remind
    with writing():
        db.session.execute(sa.delete(NotificationSent))
        db.session.commit()
    assert "0 queued" in _run(runner, "reminders", "--days", "30")


def test_quiz_close_reminders_follow_overrides_and_skip_those_who_passed(
        app, runner, people, smtp, make_user):
    now = utcnow()
    _window(now + timedelta(days=2))
    with writing():
        cohort = accounts.get_cohort("lop-1")
        final = _quiz("final")
        # binh has a later close for this quiz; chi an earlier one for every quiz.
        db.session.add(Override(cohort_id=cohort.id, user_id=people["binh"].id,
                                quiz_id=final.id, closes_at=now + timedelta(days=9)))
        db.session.add(Override(cohort_id=cohort.id, user_id=people["chi"].id, quiz_id=None,
                                closes_at=now + timedelta(hours=5)))
        db.session.commit()
    from course_app.quiz import starting

    with writing():  # dung passes the final quiz
        attempt = starting.start_attempt(db.session.get(User, people["dung"].id), final)
        attempt.status, attempt.percent = "finished", 100.0
        attempt.submitted_at = now
        db.session.commit()
    assert "2 queued" in _run(runner, "reminders")
    messages = smtp.wait_for(2)
    assert _to(messages) == ["an@example.vn", "chi@example.vn"]
    text = messages[0].get_body(("plain",)).get_content()
    assert 'Bài kiểm tra "Bài kiểm tra cuối khóa" của khóa học "Khóa học thử nghiệm"' in text
    assert "https://khoahoc.example.vn/courses/demo/quizzes/final" in text
    refs = set(db.session.scalars(sa.select(NotificationSent.ref)))
    assert len(refs) == 2 and all(r.startswith(f"quiz:{cohort.id}:{final.id}:") for r in refs)
    # binh's own close comes within the window later: then binh is reminded, once.
    later = now + timedelta(days=7)
    from course_app.notify import reminders

    with writing():
        outcome = reminders.enqueue_due(3, now=later)
        db.session.commit()
    assert [r.user_id for r in outcome.reminders] == [people["binh"].id]


def test_the_unsubscribe_link_works_without_signing_in_and_is_tamper_proof(
        app, client, runner, people, smtp):
    _ends_in(1)
    _run(runner, "reminders")
    message = next(m for m in smtp.wait_for(4) if m["To"].addresses[0].addr_spec ==
                   "an@example.vn")
    path = UNSUBSCRIBE.search(message.get_body(("plain",)).get_content()).group(1)
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "an@example.vn" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationOptOut)) == 0
    # A changed character, another kind or another account: not found, nothing changes.
    token = path.rsplit("/", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, token.replace(".", ""), "x" * 300, "eyJ4IjoxfQ"):
        assert client.get(f"/unsubscribe/{bad}").status_code == 404
        assert client.post(f"/unsubscribe/{bad}").status_code == 404
    from course_app.notify import tokens

    with pytest.raises(ValueError):
        tokens.make(people["an"].id, "password_reset")
    # One click, as a mail client does it (RFC 8058: a POST without any cookie or CSRF token).
    done = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    rows = db.session.execute(sa.select(NotificationOptOut.user_id, NotificationOptOut.kind))
    assert rows.all() == [(people["an"].id, "reminders")]
    assert app.test_client().post(path).status_code == 200  # twice: still fine
    # The next deadline reminds the others, not an.
    _ends_in(2)
    _run(runner, "reminders")
    assert "an@example.vn" not in _to(smtp.wait_for(7)[4:])
    assert len(smtp.messages) == 7


def test_the_daily_digest_gives_each_trainer_their_cohorts_figures(
        app, runner, people, smtp, make_user, loaded):
    trainer = make_user("trainer", email="gv@example.vn", name="Giảng viên Bình",
                        cohort=accounts.get_cohort("lop-1"))
    with writing():
        accounts.create_cohort("lop-2", "Lớp 2", "demo")
        db.session.commit()
    other = make_user("trainer", email="gv2@example.vn", cohort=accounts.get_cohort("lop-2"))
    make_user("trainee", email="khac@example.vn", cohort=accounts.get_cohort("lop-2"))
    _ends_in(10)  # 20 days gone of 31: a trainee who read nothing is behind
    _certify(people["an"])
    from ..web.test_grading import ESSAY, submitted

    submitted(people["binh"], "reflection", {"q-e1": ESSAY})
    submitted(people["chi"], "reflection", {"q-e1": ESSAY})
    _opt_out(other, "digest")
    quiet = make_user("trainer", email="gv3@example.vn", cohort=accounts.get_cohort("lop-2"))
    output = _run(runner, "digest")
    # other turned it off; quiet's cohort (lop-2) has no essay waiting: nothing for them.
    assert ": 1 queued, 0 sent today before, 1 turned off, 1 with nothing waiting" in output
    assert "1 of 1 mailed" in output
    [message] = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "gv@example.vn"
    assert message["Subject"] == "Bài tự luận chờ bạn chấm hôm nay"
    text = message.get_body(("plain",)).get_content()
    assert "Lớp 1" in text and "Lớp 2" not in text
    assert "Học viên: 4" in text
    assert "Bài tự luận chờ chấm: 2" in text
    assert "Chứng nhận đã cấp trong 7 ngày qua: 1" in text
    assert "Học viên chậm tiến độ: 3" in text  # an is certified; the others read nothing
    assert "https://khoahoc.example.vn/reports/cohorts/lop-1" in text
    assert "https://khoahoc.example.vn/grading/" in text
    assert message["List-Unsubscribe"].startswith("<https://khoahoc.example.vn/unsubscribe/")
    # Daily: not twice on one day, however often the command runs …
    assert "0 queued, 1 sent today before" in _run(runner, "digest")
    assert len(smtp.wait_for(2, timeout=0.5)) == 1
    # … but again the next day (the job of the next day's run, twice: one mail).
    from course_app.jobs import runner as job_runner

    tomorrow = (date.fromisoformat(output.split("digests of ")[1][:10]) + timedelta(days=1))
    for _ in range(2):
        job_runner.run(app, "course_app.notify.digest:send_digest",
                       {"trainer_id": trainer.id, "day": tomorrow.isoformat()})
    assert len(smtp.wait_for(3, timeout=1)) == 2
    assert quiet.id not in {trainer.id, other.id}


def test_the_settings_page_turns_kinds_off_and_on(app, people, make_user, login_as):
    from ..helpers import post

    client = login_as(people["an"])
    page = client.get("/account/notifications")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="reminders"' in html and "checked" in html
    assert 'name="digest"' not in html  # digests are for trainers
    assert 'href="/account/notifications"' in html  # linked from the header
    saved = post(client, "/account/notifications", {})  # every box unticked
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(NotificationOptOut.kind)) == "reminders"
    html = client.get("/account/notifications").get_data(as_text=True)
    assert 'name="reminders" type="checkbox" value="y">' in html  # not checked any more
    post(client, "/account/notifications", {"reminders": "y"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationOptOut)) == 0
    anonymous = app.test_client()
    assert anonymous.get("/account/notifications").status_code == 302


def test_the_due_rules():
    from course_app.domain import notifications as rules

    now = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert rules.moment_due(now + timedelta(days=3), now, 3)
    assert not rules.moment_due(now + timedelta(days=3, seconds=1), now, 3)
    assert not rules.moment_due(now - timedelta(seconds=1), now, 3)
    assert rules.day_due(date(2026, 12, 7), date(2026, 12, 7), 0)
    assert not rules.day_due(date(2026, 12, 6), date(2026, 12, 7), 3)
    assert rules.effective_close(now, None, None) == now
    assert rules.effective_close(now, None, now + timedelta(1)) == now + timedelta(1)
    assert rules.effective_close(now, now + timedelta(2), now + timedelta(1)) == \
        now + timedelta(2)
    start, end = date(2026, 12, 1), date(2026, 12, 10)
    assert rules.is_behind(0, 10, start, end, date(2026, 12, 5))
    assert not rules.is_behind(3, 10, start, end, date(2026, 12, 5))
    assert not rules.is_behind(0, 10, None, end, date(2026, 12, 5))
    assert rules.week_ref(date(2026, 12, 7)) == "2026-W50"


def test_a_trainer_turns_the_digest_off_audited_in_a_fixed_number_of_queries(
        app, make_user, cohort, login_as, count_queries):
    from course_app.models import AuditEvent

    from ..helpers import post

    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    client = login_as(trainer)
    client.get("/account/notifications")
    with count_queries() as first:
        html = client.get("/account/notifications").get_data(as_text=True)
    assert 'name="digest"' in html
    assert post(client, "/account/notifications", {"reminders": "y"}).status_code == 302
    assert db.session.scalar(sa.select(NotificationOptOut.kind)) == "digest"
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "notify.preferences"))
    assert event.actor_id == trainer.id and event.details == {"digest": False}
    with count_queries() as second:
        client.get("/account/notifications")
    assert len(second) == len(first) <= 4


def test_a_queued_reminder_checks_again_when_it_runs(app, people, smtp):
    """Turned off, or finished, between the command and the worker: the job sends nothing."""
    from course_app.notify import reminders

    _ends_in(2)
    with writing():
        due = {r.user_id: r for r in reminders.find_due(3)}
        db.session.rollback()
    _opt_out(people["an"])
    _certify(people["binh"])
    for name in ("an", "binh", "chi"):
        reminder = due[people[name].id]
        with writing():
            reminders.send_reminder(reminder.user_id, reminder.ref, reminder.cohort_id, None,
                                    reminder.deadline)
            db.session.commit()
        run_after_commit()
    settle()
    assert _to(smtp.wait_for(2, timeout=1)) == ["chi@example.vn"]
    assert list(db.session.scalars(sa.select(NotificationSent.user_id))) == [people["chi"].id]
