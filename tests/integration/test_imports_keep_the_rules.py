"""Imports that keep the rules (issue 16): a quiz made by `quiz import` starts as a draft that
is neither required nor live until a trainer publishes it, and `content load` never archives
what it did not load (a quiz or question made by an import or in the authoring pages)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from course_app.author import publish as publishing
from course_app.author import service as authoring
from course_app.catalog.content_loader import load_courses
from course_app.catalog.snapshots import snapshot
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Course, Question, Quiz, User
from course_app.progress import service as progress

from ..conftest import CONTENT
from .test_certificate_rules import complete, issue_now

BANK = "::hai::Hai cộng hai? {=bốn =4 ~năm}\n\n::dung::Trái đất tròn {T}\n"


def invoke(runner, *args):
    return runner.invoke(args=[str(arg) for arg in args], catch_exceptions=False)


def import_bank(runner, tmp_path: Path, quiz: str) -> str:
    path = tmp_path / "bank.gift"
    path.write_text(BANK, encoding="utf-8")
    result = invoke(runner, "quiz", "import", path, "--format", "gift", "--course", "demo",
                    "--quiz", quiz)
    assert result.exit_code == 0, result.output
    return result.output


def quiz_named(slug: str) -> Quiz:
    db.session.expire_all()
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def course() -> Course:
    return db.session.scalar(sa.select(Course).where(Course.slug == "demo"))


def load_files() -> None:
    courses, _ = read_package(CONTENT)
    with writing():
        load_courses(courses)
        db.session.commit()


def publish(slug: str) -> None:
    with writing():
        publishing.publish(course(), None, [("quiz", quiz_named(slug).id)])
        db.session.commit()


def test_a_new_imported_quiz_is_a_draft_until_published(runner, loaded, tmp_path, trainee):
    output = import_bank(runner, tmp_path, "ngan-hang")
    assert "draft" in output
    quiz = quiz_named("ngan-hang")
    assert quiz.archived and not quiz.required and quiz.published_at is None
    person = db.session.get(User, trainee.id)
    slugs = [q.quiz.slug for q in progress.course_progress(person, course()).all_quizzes]
    assert "ngan-hang" not in slugs
    import_bank(runner, tmp_path, "ngan-hang")  # a second import keeps the draft a draft
    assert quiz_named("ngan-hang").archived
    publish("ngan-hang")
    quiz = quiz_named("ngan-hang")
    assert not quiz.archived and not quiz.required and quiz.published_at is not None
    person = db.session.get(User, trainee.id)
    slugs = [q.quiz.slug for q in progress.course_progress(person, course()).all_quizzes]
    assert "ngan-hang" in slugs


def test_a_draft_import_does_not_hold_back_certificates(runner, loaded, tmp_path, trainee):
    import_bank(runner, tmp_path, "ngan-hang")
    complete(trainee)
    assert issue_now(trainee) is not None


def test_content_load_keeps_an_imported_quiz(runner, loaded, tmp_path):
    import_bank(runner, tmp_path, "ngan-hang")
    publish("ngan-hang")
    load_files()
    quiz = quiz_named("ngan-hang")
    assert not quiz.archived
    assert all(q.active for q in quiz.questions)


def test_content_load_keeps_questions_imported_into_a_quiz_of_the_files(runner, loaded,
                                                                         tmp_path):
    import_bank(runner, tmp_path, "module-1")
    load_files()
    added = {q.key: q.active for q in quiz_named("module-1").questions}
    assert added["hai"] and added["dung"]


def test_content_load_keeps_a_quiz_made_in_the_authoring_pages(runner, loaded, tmp_path):
    with writing():
        data = {**snapshot("quiz", quiz_named("module-1")), "title": {"vi": "Tự soạn"}}
        made = authoring.create_quiz(course(), "tu-soan", data, None)
        made_id = made.id
        db.session.commit()
    import_bank(runner, tmp_path, "tu-soan")  # its questions
    assert db.session.get(Quiz, made_id).archived  # still the authors' draft
    publish("tu-soan")
    assert not db.session.get(Quiz, made_id).archived
    load_files()
    assert not quiz_named("tu-soan").archived


def test_content_load_still_archives_what_it_loaded(loaded):
    courses, _ = read_package(CONTENT)
    spec = courses[0]
    spec.quizzes = [q for q in spec.quizzes if q.slug != "module-1"]
    with writing():
        load_courses(courses)
        db.session.commit()
    assert quiz_named("module-1").archived
    assert db.session.scalar(sa.select(sa.func.count(Question.id)).where(
        Question.quiz_id == quiz_named("module-1").id)) > 0
