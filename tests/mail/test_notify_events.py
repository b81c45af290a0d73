"""Essay graded and certificate ready (issue 20, notifications): real mail through a real SMTP
server, in the person's language, from the organisation; nothing when the work rolls back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, Certificate, NotificationSent, Organisation, User
from course_app.people import accounts
from course_app.transaction import run_after_commit

from ..web.test_grading import ESSAY, browser, submitted
from .conftest import settle


@pytest.fixture
def trainer(make_user, cohort):
    return make_user("trainer", email="giang-vien@example.vn", name="Trần Văn Bình",
                     cohort=cohort)


def _locale(user, locale):
    with writing():
        db.session.get(User, user.id).locale = locale
        db.session.commit()


def test_a_graded_essay_is_mailed_to_the_trainee_in_vietnamese(app, trainee, trainer, smtp,
                                                                notify_on):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    assert smtp.messages == []  # submitting mails nothing
    from ..helpers import post

    saved = post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"})
    assert saved.status_code == 302
    settle()
    [message] = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "hang@example.vn"
    assert message["Subject"] == "Bài làm tự luận của bạn đã được chấm"
    assert message["From"].addresses[0].display_name == "Sở Nội vụ"
    assert message["From"].addresses[0].addr_spec == "khoahoc@example.vn"
    assert "List-Unsubscribe" not in message  # about one's results: always sent
    text = message.get_body(("plain",)).get_content()
    assert "Bài thu hoạch" in text and "100%" in text
    assert f"https://khoahoc.example.vn/attempts/{attempt_id}/review" in text
    html = message.get_body(("html",)).get_content()
    assert 'lang="vi"' in html and f"/attempts/{attempt_id}/review" in html
    # The same grade again changes nothing: no second mail.
    post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"})
    settle()
    assert len(smtp.wait_for(2, timeout=0.5)) == 1


def test_a_rolled_back_grading_request_mails_nothing(app, trainee, trainer, smtp, notify_on,
                                                     monkeypatch):
    from course_app.grading import service as grading

    from ..helpers import post

    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)

    def broken(_attempts):
        raise RuntimeError("the certificate step failed")

    monkeypatch.setattr(grading.closing, "certify_after", broken)
    assert post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"}).status_code \
        == 500
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"  # rolled back
    settle()
    assert smtp.wait_for(1, timeout=1) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSent)) == 0


def test_a_certificate_issued_by_hand_is_mailed_in_english_from_its_organisation(
        app, runner, trainee, smtp, notify_on):
    _locale(trainee, "en")
    with writing():
        organisation = Organisation(slug="so-tt", name={"vi": "Sở Thông tin",
                                                        "en": "Department of Information"})
        db.session.add(organisation)
        db.session.flush()
        accounts.get_cohort("lop-1").organisation_id = organisation.id
        db.session.commit()
    result = runner.invoke(args=["certificates", "issue", "--email", "hang@example.vn",
                                 "--course", "demo", "--reason", "Học trực tiếp"])
    assert result.exit_code == 0, result.output
    settle()
    [message] = smtp.wait_for(1)
    code = db.session.scalar(sa.select(Certificate.code))
    assert message["Subject"] == "Your certificate is ready"
    # The certificate's issuer: the organisation of the trainee's cohort, copied at issue time.
    assert message["From"].addresses[0].display_name == "Department of Information"
    text = message.get_body(("plain",)).get_content()
    assert "Test course" in text
    assert f"https://khoahoc.example.vn/verify/{code}" in text
    assert f"https://khoahoc.example.vn/certificates/{code}.pdf" in text
    assert 'lang="en"' in message.get_body(("html",)).get_content()
    # The job again (a queue's retry): recorded once, mailed once.
    from course_app.notify import events

    with writing():
        events.send_certificate_ready(db.session.scalar(sa.select(Certificate.id)), code)
        db.session.commit()
    run_after_commit()
    settle()
    assert len(smtp.wait_for(2, timeout=0.5)) == 1


def test_an_organisation_certificate_names_the_organisation(app, trainee, smtp, notify_on):
    with writing():
        organisation = Organisation(slug="so-tt", name={"vi": "Sở Thông tin và Truyền thông",
                                                        "en": "Department of Information"})
        db.session.add(organisation)
        db.session.flush()
        user = db.session.get(User, trainee.id)
        certificate = certificates.issue_manually(user, accounts.get_course("demo"), "Lý do",
                                                  None)
        certificate.organisation_id = organisation.id
        db.session.commit()
    run_after_commit()
    settle()
    [message] = smtp.wait_for(1)
    assert message["From"].addresses[0].display_name == "Sở Thông tin và Truyền thông"
    assert message["Subject"] == "Chứng nhận của bạn đã sẵn sàng"


def test_a_rolled_back_issue_mails_nothing(app, trainee, smtp, notify_on):
    with writing():
        certificates.issue_manually(db.session.get(User, trainee.id),
                                    accounts.get_course("demo"), "Lý do", None)
        db.session.rollback()
    run_after_commit()
    settle()
    assert smtp.wait_for(1, timeout=1) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_events_are_off_by_default_in_the_suite(app, trainee, smtp):
    with writing():
        certificates.issue_manually(db.session.get(User, trainee.id),
                                    accounts.get_course("demo"), "Lý do", None)
        db.session.commit()
    run_after_commit()
    settle()
    assert smtp.wait_for(1, timeout=0.5) == []


def test_a_revoked_certificate_is_mailed_with_its_reason(app, runner, trainee, smtp, notify_on):
    with writing():
        certificate = certificates.issue_manually(db.session.get(User, trainee.id),
                                                  accounts.get_course("demo"), "Lý do", None)
        db.session.commit()
    run_after_commit()
    settle()
    assert len(smtp.wait_for(1)) == 1
    result = runner.invoke(args=["certificates", "revoke", certificate.code,
                                 "--reason", "Cấp nhầm người"])
    assert result.exit_code == 0, result.output
    settle()
    revoked = smtp.wait_for(2)[1]
    assert revoked["Subject"] == "Chứng nhận của bạn đã bị thu hồi"
    text = revoked.get_body(("plain",)).get_content()
    assert "Cấp nhầm người" in text and "đã bị thu hồi ngày" in text
    assert f"https://khoahoc.example.vn/verify/{certificate.code}" in text


def test_a_partly_graded_attempt_mails_nothing_yet(app, trainee, smtp, notify_on):
    from course_app.notify import hooks

    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    with writing():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "needs_grading"
        hooks.essay_graded(attempt)  # as grading does when an essay of several is graded
        db.session.commit()
    run_after_commit()
    settle()
    assert smtp.wait_for(1, timeout=0.5) == []
