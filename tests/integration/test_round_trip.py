"""Round trip between the database and the course package: export, check and load again change
nothing, on the test package and on the real course; loading never deletes trainees' work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import (
    Attempt,
    ContentRevision,
    Course,
    Lesson,
    LessonProgress,
    Media,
    Module,
    Question,
    Quiz,
)
from course_app.progress import service as progress
from course_app.quiz import starting

from ..conftest import CONTENT

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = pytest.mark.parametrize("root", [CONTENT, ROOT], ids=["test-package", "real-course"])


def invoke(runner, *args):
    return runner.invoke(args=[str(a) for a in args], catch_exceptions=False)


def database_state():
    """Every column of every authored row (lock versions included) and the history size."""
    state = {}
    for model in (Course, Module, Lesson, Quiz, Question, Media):
        columns = [c.key for c in sa.inspect(model).columns]
        rows = db.session.execute(sa.select(model).order_by(model.id)).scalars()
        state[model.__name__] = [tuple(getattr(row, c) for c in columns) for row in rows]
    state["revisions"] = db.session.scalar(sa.select(sa.func.count(ContentRevision.id)))
    return state


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@PACKAGES
def test_export_check_load_changes_nothing(runner, tmp_path, root):
    loaded = invoke(runner, "content", "load", "--root", root)
    assert loaded.exit_code == 0, loaded.output
    db.session.expire_all()
    before = database_state()
    out = tmp_path / "export"
    exported = invoke(runner, "content", "export", out)
    assert exported.exit_code == 0, exported.output
    checked = invoke(runner, "content", "check", "--root", out)
    assert checked.exit_code == 0, checked.output
    again = invoke(runner, "content", "load", "--root", out)
    assert again.exit_code == 0 and "no changes" in again.output, again.output
    db.session.expire_all()
    assert database_state() == before


@PACKAGES
def test_exported_package_reads_back_as_the_same_course(runner, tmp_path, root):
    assert invoke(runner, "content", "load", "--root", root).exit_code == 0
    invoke(runner, "content", "export", tmp_path / "one")
    original, _ = read_package(root)
    exported, problems = read_package(tmp_path / "one")
    assert [p for p in problems if not p.warning] == []
    assert exported == original  # every title, body, question, rule and image, identical
    invoke(runner, "content", "export", tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")  # exporting is deterministic


def test_loading_never_deletes_progress_or_attempts(runner, tmp_path, trainee):
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "tong-quan"))
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1"))
    with writing():
        progress.mark_read(trainee, lesson)
        starting.start_attempt(trainee, quiz)
        db.session.commit()
    smaller = tmp_path / "pkg"
    shutil.copytree(CONTENT, smaller)
    for name in ("01-tong-quan.md", "01-tong-quan.en.md"):
        (smaller / "lessons" / "demo" / "01-gioi-thieu" / name).unlink()
    (smaller / "quizzes" / "demo" / "module-1.yaml").unlink()
    text = (smaller / "lessons/demo/01-gioi-thieu/02-doi-tuong.md").read_text(encoding="utf-8")
    (smaller / "lessons/demo/01-gioi-thieu/02-doi-tuong.md").write_text(
        text.replace("media/chu-trinh.svg", ""), encoding="utf-8")
    result = invoke(runner, "content", "load", "--root", smaller)
    assert result.exit_code == 0, result.output
    assert "archived: 1 lesson, 1 quiz" in result.output
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).archived
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
    back = invoke(runner, "content", "load", "--root", CONTENT)
    assert back.exit_code == 0
    db.session.expire_all()
    assert not db.session.get(Lesson, lesson.id).archived
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1


def test_a_load_keeps_drafts_and_refuses_forms_opened_before_it(runner, loaded, tmp_path,
                                                                make_user):
    from course_app.author import service as authoring
    from course_app.author.service import Stale
    from course_app.catalog import history as authoring_history

    trainer = make_user("trainer")
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "ke-hoach"))
    opened_with = lesson.lock_version
    data = authoring_history.current_data("lesson", lesson)
    data["title"] = {"vi": "Lập kế hoạch (bản nháp)"}
    with writing():
        authoring.claim("lesson", lesson, opened_with)
        authoring_history.save_draft(lesson.course_id, "lesson", lesson, data, trainer.id)
        db.session.commit()
    form_lock = db.session.get(Lesson, lesson.id).lock_version
    package = tmp_path / "pkg"
    shutil.copytree(CONTENT, package)
    path = package / "lessons/demo/02-thuc-hanh/01-ke-hoach.md"
    path.write_text(path.read_text(encoding="utf-8").replace("mục tiêu", "mục đích"),
                    encoding="utf-8")
    assert "updated: 1 lesson" in invoke(runner, "content", "load", "--root", package).output
    db.session.expire_all()
    row = db.session.get(Lesson, lesson.id)
    assert "mục đích" in row.body["vi"]
    assert authoring_history.get_draft("lesson", row.id).data["title"]["vi"].endswith("(bản nháp)")
    with writing(), pytest.raises(Stale):
        authoring.claim("lesson", row, form_lock)
    actions = [r.revision.action for r in authoring_history.history("lesson", row.id)]
    assert actions == ["load", "save", "load"]
