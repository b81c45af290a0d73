"""The command line: clear errors naming file, line or field, exit code 1, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import Cohort, Course, Enrolment, Question, User

from ..conftest import CONTENT
from ..helpers import PASSWORD


def invoke(runner, *args, input=None):
    return runner.invoke(args=list(args), input=input, catch_exceptions=False)


def test_content_check_passes_on_the_fixture(runner):
    result = invoke(runner, "content", "check", "--root", str(CONTENT))
    assert result.exit_code == 0, result.output
    assert "demo: 2 modules, 3 lessons, 3 quizzes" in result.output


def test_content_check_reports_file_and_line(runner, tmp_path):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    quiz = root / "quizzes" / "demo" / "module-1.yaml"
    text = quiz.read_text(encoding="utf-8").replace("correct: true, feedback", "correct: false, "
                                                    "feedback", 1)
    quiz.write_text(text, encoding="utf-8")
    result = invoke(runner, "content", "check", "--root", str(root))
    assert result.exit_code == 1
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "key: q1" in row)
    assert f"quizzes/demo/module-1.yaml:{line + 3}:" in result.output or \
        "quizzes/demo/module-1.yaml:" in result.output
    assert "at least one correct choice" in result.output


def test_content_check_reports_yaml_syntax_line(runner, tmp_path):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    (root / "lessons" / "demo" / "01-gioi-thieu" / "module.yaml").write_text(
        "title: {vi: 'x'\nsummary: y\n", encoding="utf-8")
    result = invoke(runner, "content", "check", "--root", str(root))
    assert result.exit_code == 1
    assert "lessons/demo/01-gioi-thieu/module.yaml:" in result.output
    assert "invalid YAML" in result.output


def test_broken_package_loads_nothing(runner, tmp_path):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    (root / "quizzes" / "demo" / "broken.yaml").write_text("title: x\nquestions: 3\n")
    result = invoke(runner, "content", "load", "--root", str(root))
    assert result.exit_code == 1
    assert "quizzes/demo/broken.yaml:2: 'questions' must be a list" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_content_load_is_idempotent(runner):
    first = invoke(runner, "content", "load", "--root", str(CONTENT))
    assert first.exit_code == 0 and "created" in first.output
    snapshot = [(q.key, q.version, q.content_hash) for q in db.session.scalars(
        sa.select(Question).order_by(Question.id))]
    second = invoke(runner, "content", "load", "--root", str(CONTENT))
    assert second.exit_code == 0
    assert "no changes" in second.output
    db.session.expire_all()
    again = [(q.key, q.version, q.content_hash) for q in db.session.scalars(
        sa.select(Question).order_by(Question.id))]
    assert again == snapshot


def test_changed_question_gets_a_new_version(runner, tmp_path):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    invoke(runner, "content", "load", "--root", str(root))
    quiz = root / "quizzes" / "demo" / "module-1.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Thu thuế", "Thu phí"),
                    encoding="utf-8")
    result = invoke(runner, "content", "load", "--root", str(root))
    assert "updated: 1 question" in result.output
    q1 = db.session.scalar(sa.select(Question).where(Question.key == "q1"))
    assert q1.version == 2


def test_cohort_and_user_creation(runner, loaded):
    result = invoke(runner, "cohorts", "create", "k1", "--name", "Khóa 1", "--course", "demo",
                    "--starts", "2024-08-22", "--ends", "2024-08-30")
    assert result.exit_code == 0, result.output
    result = invoke(runner, "users", "create", "--email", "Lan@Example.vn", "--name",
                    "Trần Thị Lan", "--role", "trainee", "--unit", "Sở Du lịch", "--cohort", "k1",
                    "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "lan@example.vn"))
    assert user.full_name == "Trần Thị Lan" and user.password_hash.startswith("$argon2id$")
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


def test_cli_errors_are_clear_and_write_nothing(runner, loaded):
    unknown_course = invoke(runner, "cohorts", "create", "k2", "--name", "K", "--course", "nope")
    assert unknown_course.exit_code == 1 and "unknown course 'nope'" in unknown_course.output
    bad_date = invoke(runner, "cohorts", "create", "k2", "--name", "K", "--course", "demo",
                      "--starts", "22/08/2024")
    assert bad_date.exit_code != 0 and "not a date" in bad_date.output
    unknown_cohort = invoke(runner, "users", "create", "--email", "a@example.vn", "--name", "A",
                            "--cohort", "missing", "--password-stdin", input=PASSWORD + "\n")
    assert unknown_cohort.exit_code == 1 and "unknown cohort 'missing'" in unknown_cohort.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 0


def test_duplicate_email_is_refused(runner, loaded):
    args = ["users", "create", "--email", "a@example.vn", "--name", "A", "--password-stdin"]
    assert invoke(runner, *args, input=PASSWORD + "\n").exit_code == 0
    again = invoke(runner, *args[:2], "--email", "A@EXAMPLE.VN", "--name", "B",
                   "--password-stdin", input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_short_password_is_refused(runner, loaded):
    result = invoke(runner, "users", "create", "--email", "a@example.vn", "--name", "A",
                    "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output


def test_demo_setup_creates_accounts_once(runner, loaded, app):
    first = invoke(runner, "demo", "setup")
    assert first.exit_code == 0 and "trainee@example.org" in first.output
    credentials = Path(app.instance_path) / "demo-credentials.txt"
    assert "trainer@example.org" in credentials.read_text(encoding="utf-8")
    assert invoke(runner, "demo", "setup").exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 3


def test_demo_setup_never_runs_in_production(runner, loaded, app):
    app.config["ENV_NAME"] = "production"
    result = invoke(runner, "demo", "setup")
    assert "no demo accounts" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
