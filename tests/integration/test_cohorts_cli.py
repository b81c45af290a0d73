"""The command-line twins of the cohort pages (cohorts create/edit, trainers add/remove, move):
the same use cases, one commit each, nothing written on an error."""

from __future__ import annotations

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import AuditEvent, Cohort, Enrolment, cohort_trainer
from tests import cohort_helpers as rows


def invoke(runner, *args):
    return runner.invoke(args=["cohorts", *args], catch_exceptions=False)


def _cohort(slug: str) -> Cohort:
    db.session.rollback()
    return db.session.scalar(sa.select(Cohort).where(Cohort.slug == slug))


def _actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_create_with_an_organisation_and_edit(runner, loaded):
    rows.organisation("so-vh", "Sở Văn hóa", "Department of Culture", offers=["demo"])
    rows.organisation("ubnd", "Ủy ban", "Committee")
    made = invoke(runner, "create", "k1", "--name", "Khóa 1", "--course", "demo",
                  "--organisation", "so-vh", "--starts", "2025-08-01")
    assert made.exit_code == 0, made.output
    assert _cohort("k1").organisation.slug == "so-vh"
    refused = invoke(runner, "create", "k2", "--name", "K", "--course", "demo",
                     "--organisation", "ubnd")
    assert refused.exit_code == 1 and "does not offer this course" in refused.output
    edited = invoke(runner, "edit", "k1", "--name", "Khóa Một", "--ends", "2025-08-30",
                    "--archive")
    assert edited.exit_code == 0, edited.output
    found = _cohort("k1")
    assert (found.name, str(found.starts_on), str(found.ends_on), found.archived) == (
        "Khóa Một", "2025-08-01", "2025-08-30", True)
    assert invoke(runner, "edit", "k1", "--unarchive", "--no-ends").exit_code == 0
    assert (_cohort("k1").archived, _cohort("k1").ends_on) == (False, None)
    bad = invoke(runner, "edit", "k1", "--ends", "2025-07-01")
    assert bad.exit_code == 1 and "end date is before the start date" in bad.output
    assert _cohort("k1").ends_on is None and _cohort("k2") is None
    assert _actions() == ["cohort.create", "cohort.update", "cohort.archive", "cohort.update",
                          "cohort.unarchive"]


def test_trainers_add_and_remove(runner, cohort, make_user):
    trainer = make_user("trainer", email="gv@example.vn")
    make_user("trainee", email="hv@example.vn")
    assert invoke(runner, "trainers", "add", "lop-1", "GV@example.vn").exit_code == 0
    unknown = invoke(runner, "trainers", "add", "lop-1", "hv@example.vn")
    assert unknown.exit_code == 1 and "no active trainer" in unknown.output
    assert set(db.session.scalars(sa.select(cohort_trainer.c.user_id))) == {trainer.id}
    missing = invoke(runner, "trainers", "remove", "lop-1", "hv@example.vn")
    assert missing.exit_code == 1 and "does not teach" in missing.output
    assert invoke(runner, "trainers", "remove", "lop-1", "gv@example.vn").exit_code == 0
    db.session.rollback()
    assert list(db.session.scalars(sa.select(cohort_trainer.c.user_id))) == []


def test_move_keeps_the_trainee_and_refuses_another_course(runner, cohort, make_user):
    trainee = make_user("trainee", email="hv@example.vn", cohort=cohort)
    attempt = rows.waiting_attempt(trainee)
    rows.cohort("lop-2", None)
    rows.other_course()
    rows.cohort("lop-khac", None, course="khac")
    other = invoke(runner, "move", "lop-1", "hv@example.vn", "--to", "lop-khac")
    assert other.exit_code == 1 and "another course" in other.output
    moved = invoke(runner, "move", "lop-1", "hv@example.vn", "--to", "lop-2")
    assert moved.exit_code == 0, moved.output
    db.session.rollback()
    assert list(db.session.scalars(sa.select(Enrolment.cohort_id).where(
        Enrolment.user_id == trainee.id))) == [_cohort("lop-2").id]
    assert db.session.get(type(attempt), attempt.id).status == "needs_grading"
    again = invoke(runner, "move", "lop-1", "hv@example.vn", "--to", "lop-2")
    assert again.exit_code == 1 and "not a trainee" in again.output
