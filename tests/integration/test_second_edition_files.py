"""Issue 21 in the package files: review options, rubric grids and lesson citations are read,
checked at their line, loaded and written back unchanged; lesson body problems are reported at
their own line of the lesson file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.catalog.content_loader import load_courses
from course_app.catalog.export import course_specs
from course_app.content.export import quiz_yaml
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Question, Quiz

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"

REVIEW = """review:
  score: immediately
  correctness: immediately
  answers: [after_pass, after_last_attempt]
  explanations: after_close
"""
GRID_ESSAY = """  - key: e1
    type: essay
    lesson: ke-hoach
    points: 5
    text: {vi: "Lập kế hoạch một trang.", en: "Draft a one-page plan."}
    rubric:
      criteria:
        - key: goals
          title: {vi: "Mục tiêu", en: "Goals"}
          levels:
            - {key: good, label: {vi: "Tốt", en: "Good"}, points: 3, text: {vi: "Rõ", en: "Clear"}}
            - {key: weak, label: {vi: "Yếu", en: "Weak"}, points: 0}
        - key: lang
          title: {vi: "Ngôn ngữ", en: "Language"}
          levels:
            - {key: good, label: {vi: "Tốt", en: "Good"}, points: 2}
            - {key: weak, label: {vi: "Yếu", en: "Weak"}, points: 0}
"""


def package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> Path:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in read_package(root)[1] if not p.warning]


def second_edition(root: Path) -> Path:
    edit(root, "quizzes/demo/module-1.yaml", "review: full\n", REVIEW)
    edit(root, "quizzes/demo/module-1.yaml", "  - key: q2\n",
         "  - key: q2\n    lesson: tong-quan\n")
    quiz = root / "quizzes/demo/reflection.yaml"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(text[:text.index("  - key: e1")] + GRID_ESSAY, encoding="utf-8")
    return root


def test_the_second_edition_fields_are_read(tmp_path):
    courses, problems = read_package(second_edition(package(tmp_path)))
    assert [p for p in problems if not p.warning] == []
    quizzes = {q.slug: q for q in courses[0].quizzes}
    module = quizzes["module-1"]
    assert module.review_options["answers"] == ["after_pass", "after_last_attempt"]
    assert module.review_options["explanations"] == ["after_close"]
    assert next(q for q in module.questions if q.key == "q2").lesson == "tong-quan"
    essay = quizzes["reflection"].questions[0]
    assert [c["key"] for c in essay.type_data["criteria"]] == ["goals", "lang"]


def test_load_then_export_writes_the_same_settings(app, tmp_path):
    courses, _ = read_package(second_edition(package(tmp_path)))
    with writing():
        load_courses(courses)
        db.session.commit()
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1"))
    assert quiz.review_options["answers"] == ["after_pass", "after_last_attempt"]
    assert db.session.scalar(sa.select(Question.lesson).where(Question.key == "q2")) == \
        "tong-quan"
    [exported] = course_specs()
    again = {q.slug: q for q in exported.quizzes}
    mine = {q.slug: q for q in courses[0].quizzes}
    for slug in ("module-1", "reflection"):
        assert quiz_yaml(again[slug]) == quiz_yaml(mine[slug]), slug
    assert quiz_yaml(again["module-1"])["review"]["explanations"] == "after_close"
    assert quiz_yaml(again["final"])["review"] in ("full", "score")  # shorthands stay shorthands


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("review: full\n", "review:\n  answers: later\n", "answers: later", "review 'answers' must"),
    ("review: full\n", "review:\n  key: immediately\n", "key: immediately",
     "unknown aspect 'key'"),
    ("  - key: q3\n", "  - key: q3\n    lesson: khong-co\n", "lesson: khong-co",
     "question q3: unknown lesson 'khong-co'"),
])
def test_module_quiz_errors_are_at_their_line(tmp_path, old, new, needle, message):
    root = package(tmp_path)
    path = edit(root, "quizzes/demo/module-1.yaml", old, new)
    found = problems_of(root)
    prefix = f"quizzes/demo/module-1.yaml:{line_of(path, needle)}: "
    assert any(p.startswith(prefix) and message in p for p in found), found


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("points: 3", "points: 9", "points: 9", "points must be at most 5"),
    ("key: lang", "key: goals", "key: goals\n", "duplicate key 'goals'"),
])
def test_rubric_errors_are_at_their_line(tmp_path, old, new, needle, message):
    root = second_edition(package(tmp_path))
    path = edit(root, "quizzes/demo/reflection.yaml", old, new)
    found = problems_of(root)
    lines = path.read_text().splitlines()
    expected = [i for i, line in enumerate(lines, 1) if needle.strip() in line][-1]
    assert any(p.startswith(f"quizzes/demo/reflection.yaml:{expected}:") and message in p
               for p in found), found


def test_a_required_quiz_of_rubric_essays_is_allowed_and_of_plain_essays_refused(tmp_path):
    root = second_edition(package(tmp_path))
    edit(root, "quizzes/demo/reflection.yaml", "required: false", "required: true")
    assert problems_of(root) == []
    plain = package(tmp_path / "plain")
    path = edit(plain, "quizzes/demo/reflection.yaml", "required: false", "required: true")
    found = problems_of(plain)
    assert any(p.startswith(f"quizzes/demo/reflection.yaml:{line_of(path, 'required')}:")
               and "a required quiz cannot hold essay questions" in p for p in found), found


@pytest.mark.parametrize(("body", "message"), [
    ("![Ảnh](media/khong-co.svg)", "image 'media/khong-co.svg' not found in media/"),
    ("![](media/chu-trinh.svg)", "needs alt text"),
    ("![Ảnh](http://example.com/a.png)", "must be in the course's media/ folder"),
    ("[Tải về](media/khong-co.pdf)", "link to 'media/khong-co.pdf'"),
    ("| A | B |\n| x | y |", "does not parse"),
    ("| A | B |\n| --- | --- |\n| x | y | z |", "table row has 3 cells"),
])
def test_lesson_body_problems_are_at_their_line(tmp_path, body, message):
    root = package(tmp_path)
    path = root / "lessons/demo/02-thuc-hanh/01-ke-hoach.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n\nMột đoạn văn.\n\n" + body + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = body.splitlines()[-1] if "cells" in message else body.splitlines()[0]
    expected = max(i for i, line in enumerate(lines, 1) if line == first)
    found = problems_of(root)
    assert any(p.startswith(f"lessons/demo/02-thuc-hanh/01-ke-hoach.md:{expected}:")
               and message in p for p in found), (expected, found)
