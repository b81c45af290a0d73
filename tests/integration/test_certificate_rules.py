"""Certificate rules on the database: completion rules from course.yaml, automatic issue exactly
once, manual issue, revocation, reissue, expiry, the audit trail, the CLI and the PDF cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.certificates.pdf_file import cache_dir, certificate_pdf
from course_app.database import writing
from course_app.domain.completion import CompletionRule, QuizStatus, evaluate
from course_app.domain.errors import NotFound, ServiceError
from course_app.extensions import db
from course_app.models import (
    Attempt,
    AuditEvent,
    Certificate,
    Course,
    Lesson,
    LessonProgress,
    Quiz,
    User,
)
from course_app.models.types import utcnow


def invoke(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def course() -> Course:
    return db.session.scalar(sa.select(Course).where(Course.slug == "demo"))


def set_completion(**rule) -> None:
    with writing():
        found = course()
        found.completion = {"lessons": "all", "quizzes": "required", **rule}
        db.session.commit()


def read_all(user: User) -> None:
    with writing():
        for lesson in db.session.scalars(sa.select(Lesson)):
            db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
        db.session.commit()


def finish(user: User, slug: str, percent: float, minutes: float = 10) -> None:
    """A finished attempt with the given score, taken `minutes` long."""
    with writing():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
        number = 1 + (db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(
            Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)) or 0)
        end = utcnow()
        db.session.add(Attempt(user_id=user.id, quiz_id=quiz.id, number=number, seed=1,
                               questions=[], status="finished", percent=percent,
                               started_at=end - timedelta(minutes=minutes), submitted_at=end))
        db.session.commit()


def complete(user: User, final: float = 100.0, module: float = 100.0) -> None:
    read_all(user)
    finish(user, "module-1", module)
    finish(user, "final", final)


def issue_now(user: User) -> Certificate | None:
    with writing():
        made = certificates.issue_if_complete(db.session.get(User, user.id), course())
        db.session.commit()
    return made


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.action.like("certificate.%")).order_by(AuditEvent.id)))


# ------------------------------------------------------------------------------ domain rule

def q(quiz_id, grade, slug=None, required=True, pass_score=50.0):
    return QuizStatus(quiz_id, required, pass_score, grade, slug)


def test_rule_from_course_yaml_mapping_ignores_nulls_and_unknown_keys():
    rule = CompletionRule.from_mapping({"lessons": "all", "min_average": None, "x": 1,
                                        "final_exam": "final", "min_final_score": 80,
                                        "min_hours": 1.5})
    assert rule == CompletionRule(final_exam="final", min_final_score=80, min_hours=1.5)
    assert CompletionRule.from_mapping(None) == CompletionRule()


@pytest.mark.parametrize("kwargs", [{"min_final_score": 80}, {"min_hours": -1},
                                    {"final_exam": "f", "min_final_score": 101},
                                    {"min_average": -5}])
def test_rule_rejects_impossible_values(kwargs):
    with pytest.raises(ValueError):
        CompletionRule(**kwargs)


def test_final_exam_minimum_score():
    rule = CompletionRule(final_exam="final", min_final_score=80)
    low = evaluate(rule, [1], [1], [q(1, 100.0), q(2, 79.0, "final")])
    assert not low.complete and low.final_score == 79.0 and low.percent == 99
    assert evaluate(rule, [1], [1], [q(1, 100.0), q(2, 80.0, "final")]).complete


def test_final_exam_without_minimum_uses_its_pass_score_even_when_optional():
    rule = CompletionRule(final_exam="final")
    optional_failed = q(2, 40.0, "final", required=False)
    assert not evaluate(rule, [1], [1], [q(1, 100.0), optional_failed]).complete
    assert evaluate(rule, [1], [1], [q(1, 100.0), q(2, 50.0, "final", required=False)]).complete


def test_missing_final_exam_can_never_be_met():
    assert not evaluate(CompletionRule(final_exam="gone"), [1], [1], [q(1, 100.0)]).complete


def test_minimum_hours():
    rule = CompletionRule(min_hours=2)
    assert not evaluate(rule, [1], [1], [], study_hours=None).complete
    assert not evaluate(rule, [1], [1], [], study_hours=1.99).complete
    status = evaluate(rule, [1], [1], [], study_hours=2.0)
    assert status.complete and status.study_hours == 2.0


# ------------------------------------------------------------------------------ automatic issue

def test_automatic_issue_exactly_once_and_audited(trainee):
    complete(trainee)
    first = issue_now(trainee)
    assert first is not None and first.status == "valid" and first.score == 100.0
    assert first.issuer["vi"].startswith("Ban Chỉ đạo")
    assert issue_now(trainee) is None
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "certificate.issue"))
    assert event.actor_id is None and event.details["automatic"] is True


def test_no_automatic_issue_after_revocation(trainee):
    complete(trainee)
    made = issue_now(trainee)
    with writing():
        certificates.revoke(db.session.get(Certificate, made.id), "sai sót", None)
        db.session.commit()
    assert issue_now(trainee) is None


def test_final_exam_rule_from_course_yaml_holds_back_the_certificate(trainee):
    set_completion(final_exam="final", min_final_score=90)
    complete(trainee, final=85.0)
    assert issue_now(trainee) is None
    finish(trainee, "final", 95.0)  # the final quiz grades the last attempt
    assert issue_now(trainee) is not None


def test_minimum_hours_counts_lessons_and_attempt_time(trainee):
    lesson_minutes = db.session.scalar(sa.select(sa.func.sum(Lesson.minutes)))
    set_completion(min_hours=round((lesson_minutes + 30) / 60, 2))
    read_all(trainee)
    finish(trainee, "module-1", 100.0, minutes=10)
    finish(trainee, "final", 100.0, minutes=10)
    assert issue_now(trainee) is None
    status = certificates.completion_status(trainee, course())
    assert status.study_hours == round((lesson_minutes + 20) / 60, 2)
    finish(trainee, "module-1", 100.0, minutes=10)
    assert issue_now(trainee) is not None


def test_untimed_attempt_left_open_counts_two_hours_at_most(trainee):
    set_completion(min_hours=100)
    finish(trainee, "module-1", 100.0, minutes=600)  # no time limit on this quiz
    status = certificates.completion_status(trainee, course())
    assert status.study_hours == 2.0


def test_invalid_rule_in_the_database_issues_nothing(trainee):
    set_completion(min_final_score=90)  # no final_exam: the loader should have refused it
    complete(trainee)
    assert issue_now(trainee) is None


def test_validity_months_sets_the_expiry(trainee):
    with writing():
        course().certificate = {**course().certificate, "validity_months": 24}
        db.session.commit()
    complete(trainee)
    made = issue_now(trainee)
    assert made.expires_at.year == made.issued_at.year + 2
    assert certificates.status_of(made) == "valid"
    assert certificates.status_of(made, now=made.expires_at) == "expired"


# ------------------------------------------------------------------------------ manual issue

def test_manual_issue_by_a_trainer_of_the_cohort(trainee, make_user, cohort):
    trainer = make_user("trainer", cohort=cohort)
    with writing():
        made = certificates.issue_manually(trainee, course(), "  Học trực tiếp tại lớp  ",
                                           trainer)
        db.session.commit()
    assert made.issue_reason == "Học trực tiếp tại lớp" and made.issued_by_id == trainer.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "certificate.issue"))
    assert event.actor_id == trainer.id and event.details["reason"] == "Học trực tiếp tại lớp"
    assert event.details["automatic"] is False


def test_manual_issue_refusals(trainee, make_user, cohort):
    stranger = make_user("trainer")
    outsider = make_user("trainee", email="outside@example.vn")
    with writing():
        with pytest.raises(ServiceError, match="reason is required"):
            certificates.issue_manually(trainee, course(), "   ", None)
        with pytest.raises(NotFound):
            certificates.issue_manually(trainee, course(), "lý do", stranger)
        with pytest.raises(ServiceError, match="not enrolled"):
            certificates.issue_manually(outsider, course(), "lý do", None)
        with pytest.raises(ServiceError, match="not a trainee"):
            certificates.issue_manually(stranger, course(), "lý do", None)
        certificates.issue_manually(trainee, course(), "lý do", None)
        with pytest.raises(ServiceError, match="already holds"):
            certificates.issue_manually(trainee, course(), "lý do", None)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


# ------------------------------------------------------------------------------ revoke, reissue

def issued(trainee) -> Certificate:
    with writing():
        made = certificates.issue_manually(trainee, course(), "điểm danh", None)
        db.session.commit()
    return made


def test_revoke_records_date_reason_and_audit(trainee, make_user, cohort):
    made = issued(trainee)
    admin = make_user("admin")
    with writing():
        certificates.revoke(db.session.get(Certificate, made.id), "Gian lận khi thi", admin)
        db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Certificate, made.id)
    assert stored.status == "revoked" and stored.revoke_reason == "Gian lận khi thi"
    assert abs((stored.revoked_at - utcnow()).total_seconds()) < 60
    assert certificates.verify(made.code).status == "revoked"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action ==
                                                          "certificate.revoke"))
    assert event.actor_id == admin.id and event.target == f"certificate:{made.id}"


def test_revoked_and_superseded_cannot_change_again(trainee):
    made = issued(trainee)
    with writing():
        certificates.revoke(db.session.get(Certificate, made.id), "lý do", None)
        db.session.commit()
    with writing():
        for change in (certificates.revoke, certificates.reissue):
            with pytest.raises(ServiceError, match="revoked"):
                change(db.session.get(Certificate, made.id), "lại", None)
    assert audit_actions() == ["certificate.issue", "certificate.revoke"]


def test_a_stale_copy_loses_the_race(trainee):
    made = issued(trainee)
    with writing():
        stale = db.session.get(Certificate, made.id)  # still "valid" in memory
        db.session.execute(sa.text("UPDATE certificate SET status = 'revoked' WHERE id = :id"),
                           {"id": made.id})
        with pytest.raises(ServiceError, match="changed meanwhile"):
            certificates.reissue(stale, "đổi tên", None)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_reissue_supersedes_and_links(trainee, make_user, cohort):
    made = issued(trainee)
    trainer = make_user("trainer", cohort=cohort)
    with writing():
        db.session.get(User, trainee.id).full_name = "Nguyễn Thị Hằng Nga"
        db.session.commit()
    with writing():
        new = certificates.reissue(db.session.get(Certificate, made.id), "Sửa họ tên", trainer)
        db.session.commit()
    old = db.session.get(Certificate, made.id)
    assert new.code != made.code and len(new.code) >= 32
    assert old.status == "superseded" and old.superseded_by_id == new.id
    assert new.status == "valid" and new.holder_name == "Nguyễn Thị Hằng Nga"
    assert new.score == made.score and new.issue_reason == "Sửa họ tên"
    found = certificates.verify(made.code)
    assert found.status == "superseded" and found.replacement.code == new.code
    with writing(), pytest.raises(ServiceError, match="replaced"):
        certificates.reissue(db.session.get(Certificate, made.id), "again", trainer)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action ==
                                                          "certificate.reissue"))
    assert event.details["replaces"] == made.id and event.actor_id == trainer.id


def test_trainer_of_another_cohort_cannot_revoke(trainee, make_user):
    made = issued(trainee)
    with writing(), pytest.raises(NotFound):
        certificates.revoke(db.session.get(Certificate, made.id), "lý do", make_user("trainer"))
    assert db.session.get(Certificate, made.id).status == "valid"


# ------------------------------------------------------------------------------ the CLI

def test_cli_issue_revoke_reissue(runner, trainee):
    result = invoke(runner, "certificates", "issue", "--email", "HANG@example.vn", "--course",
                    "demo", "--reason", "Học trực tiếp")
    assert result.exit_code == 0, result.output
    code = db.session.scalar(sa.select(Certificate.code))
    assert f"https://khoahoc.example.vn/verify/{code}" in result.output
    result = invoke(runner, "certificates", "reissue", code, "--reason", "Sửa tên")
    assert result.exit_code == 0, result.output
    new_code = db.session.scalar(sa.select(Certificate.code).where(Certificate.status == "valid"))
    assert new_code != code and new_code in result.output
    result = invoke(runner, "certificates", "revoke", new_code, "--reason", "Thu hồi")
    assert result.exit_code == 0, result.output
    assert audit_actions() == ["certificate.issue", "certificate.reissue", "certificate.revoke"]
    assert {e.actor_id for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action.like("certificate.%")))} == {None}


@pytest.mark.parametrize("args, message", [
    (["issue", "--email", "nobody@example.vn", "--course", "demo", "--reason", "x"],
     "no account has the email"),
    (["issue", "--email", "hang@example.vn", "--course", "nope", "--reason", "x"],
     "unknown course"),
    (["issue", "--email", "hang@example.vn", "--course", "demo", "--reason", " "],
     "reason is required"),
    (["revoke", "x" * 32, "--reason", "x"], "no certificate has the code"),
    (["reissue", "short", "--reason", "x"], "no certificate has the code"),
])
def test_cli_errors_exit_1_and_change_nothing(runner, trainee, args, message):
    result = invoke(runner, "certificates", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    assert audit_actions() == []


# ------------------------------------------------------------------------------ the PDF cache

def test_pdf_is_cached_and_stays_correct_after_revocation(app, trainee):
    made = issued(trainee)
    with app.test_request_context():
        first = certificate_pdf(db.session.get(Certificate, made.id))
        files = list(cache_dir().glob(f"{made.code}-*.pdf"))
        assert len(files) == 1 and files[0].read_bytes() == first
        assert certificate_pdf(db.session.get(Certificate, made.id)) == first
    with writing():
        certificates.revoke(db.session.get(Certificate, made.id), "lý do", None)
        db.session.commit()
    with app.test_request_context():
        after = certificate_pdf(db.session.get(Certificate, made.id))
        files = list(cache_dir().glob(f"{made.code}-*.pdf"))
    assert after != first and b"%PDF" in after[:8]
    assert [f.read_bytes() for f in files] == [after]  # the stale file is gone
