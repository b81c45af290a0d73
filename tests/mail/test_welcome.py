"""Welcome to a cohort (issue 20), with real mail through a real SMTP server: a trainee added
to a cohort gets one mail naming the cohort, its course, dates and a link, in their language;
a job run again sends nothing more; an account invited by mail in the same import gets only
its invitation."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.jobs import runner
from course_app.models import Cohort, MailLog, NotificationSent, User

from ..helpers import post, sign_in
from .conftest import settle

ROSTER = Path(__file__).parent.parent / "fixtures" / "roster"
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def trainer(make_user, cohort):
    with writing():
        found = db.session.get(Cohort, cohort.id)
        found.starts_on, found.ends_on = date(2026, 12, 1), date(2027, 1, 31)
        db.session.commit()
    return make_user("trainer", email="giang-vien@example.vn", name="Trần Văn Bình",
                     cohort=cohort)


def _teacher(app, trainer):
    client = app.test_client()
    assert sign_in(client, trainer.email).status_code == 302
    return client


def _add(client, email, name="Lê Văn An"):
    return post(client, "/reports/cohorts/lop-1/trainees",
                {"full_name": name, "email": email, "unit": "", "position": ""})


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _welcomes() -> list[MailLog]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(MailLog).where(MailLog.kind == "welcome")
                                   .order_by(MailLog.id)))


def test_a_trainee_is_welcomed_once_in_english_and_in_vietnamese(
        app, make_user, cohort, trainer, smtp, notify_on):
    existing = make_user(email="an@example.vn", name="Lê Văn An")
    with writing():
        db.session.get(User, existing.id).locale = "en"
        db.session.commit()
    client = _teacher(app, trainer)
    assert _add(client, "an@example.vn").status_code == 302
    settle()
    [english] = smtp.wait_for(1)
    assert english["Subject"] == "Welcome to Lớp 1"
    assert english["To"].addresses[0].addr_spec == "an@example.vn"
    text = _body(english)
    assert 'class "Lớp 1"' in text and "https://khoahoc.example.vn/courses/demo" in text
    assert "2026" in text and "2027" in text  # the dates
    # The job run again (a retry, a twin): no second mail.
    runner.run(app, "course_app.people.welcome:send_welcome",
               {"user_ids": [existing.id], "cohort_id": cohort.id})
    settle()
    assert len(smtp.wait_for(2, timeout=0.5)) == 1

    # A new account, added with a one-time password: welcomed in Vietnamese (the default).
    assert _add(client, "binh@example.vn", "Phạm Thị Bình").status_code == 302
    settle()
    vietnamese = smtp.wait_for(2)[1]
    assert vietnamese["Subject"] == "Chào mừng bạn đến với Lớp 1"
    assert "Lớp 1" in _body(vietnamese)
    rows = _welcomes()
    assert [(r.recipient, r.status) for r in rows] == [("an@example.vn", "delivered"),
                                                        ("binh@example.vn", "delivered")]
    assert rows[0].link and rows[0].link.startswith("https://khoahoc.example.vn/")
    assert db.session.scalar(sa.select(sa.func.count(NotificationSent.id)).where(
        NotificationSent.kind == "welcome")) == 2
    # … and on the trainee's dashboard, in their language, linked to the course.
    own = app.test_client()
    assert sign_in(own, "an@example.vn").status_code == 302
    html = own.get("/").get_data(as_text=True)
    assert "Recent notifications" in html
    assert '<a href="/courses/demo">You were enrolled in a new class.</a>' in html


def test_the_command_line_welcomes_a_trainee_created_in_a_cohort(app, runner, cohort, smtp,
                                                                notify_on):
    result = runner.invoke(args=["users", "create", "--email", "duc@example.vn", "--name",
                                 "Trần Văn Đức", "--cohort", "lop-1", "--password-stdin"],
                           input="một mật khẩu dài dài\n")
    assert result.exit_code == 0, result.output
    settle()
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Chào mừng bạn đến với Lớp 1"


def test_an_account_invited_in_the_same_import_gets_only_its_invitation(
        app, make_user, cohort, trainer, smtp, notify_on):
    make_user(email="an@example.vn", name="Lê Văn An")  # an existing account: welcomed
    data = (ROSTER / "bom_comma.csv").read_bytes().decode("utf-8-sig") + \
        "Lê Văn An,an@example.vn,,\n"
    client = _teacher(app, trainer)
    preview = post(client, "/reports/cohorts/lop-1/enrol", {
        "file": (io.BytesIO(data.encode()), "roster.csv")}, content_type="multipart/form-data")
    token = TOKEN_FIELD.search(preview.get_data(as_text=True)).group(1)
    assert post(client, "/reports/cohorts/lop-1/enrol/confirm",
                {"token": token, "delivery": "invite"}).status_code == 302
    settle()
    messages = smtp.wait_for(4)
    settle()
    kinds = sorted((r.kind, r.recipient) for r in db.session.scalars(sa.select(MailLog)))
    assert [k for k, _ in kinds].count("invitation") == 3
    assert [(k, r) for k, r in kinds if k == "welcome"] == [("welcome", "an@example.vn")]
    assert len(messages) == 4
