"""`content export` and the course package zip: only published content, in the package format,
and what trainers authored in the browser survives export and load unchanged."""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa
import yaml

from course_app.author import (
    lifecycle as authoring_lifecycle,
)
from course_app.author import (
    publish as authoring_publish,
)
from course_app.author import (
    service as authoring,
)
from course_app.catalog import history as authoring_history
from course_app.catalog.export import course_spec, course_specs
from course_app.content.export import zip_package
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Course, Lesson, Question, Quiz

from .test_round_trip import database_state, invoke

EVERY_TYPE = {
    "single": {"choices": [{"key": "a", "text": "Đúng", "correct": True},
                           {"key": "b", "text": "Sai", "correct": False}]},
    "multiple": {"choices": [{"key": "a", "text": "Một", "correct": True, "weight": 60},
                             {"key": "b", "text": "Hai", "correct": True, "weight": 40},
                             {"key": "c", "text": "Ba", "correct": False, "weight": -100}]},
    "true_false": {"answer": False, "feedback_true": {"vi": "Chưa đúng.", "en": "No."}},
    "short": {"answers": [{"text": "Hải Phòng"}, {"text": "HP", "credit": 50}],
              "ignore_diacritics": True},
    "numeric": {"answers": [{"value": 500, "tolerance": 0}, {"min": 400, "max": 600,
                                                             "credit": 50}]},
    "matching": {"pairs": [{"key": "p1", "prompt": "Báo", "answer": "In"},
                           {"key": "p2", "prompt": "Đài", "answer": "Phát thanh"}],
                 "distractors": ["Mạng"]},
    "ordering": {"items": [{"key": "x7", "text": "Lập kế hoạch"},
                           {"key": "b2", "text": "Thực hiện"},
                           {"key": "m4", "text": "Đánh giá"}], "partial": True},
    "essay": {"rubric": {"vi": "Có mục tiêu rõ.", "en": "Clear goals."}, "min_words": 50},
}


def _question_data(kind, authoring_fields):
    from course_app.domain.questions import get_type

    type_data, errors = get_type(kind).normalise(authoring_fields)
    assert errors == []
    return {"type": kind, "text": {"vi": f"Câu hỏi {kind}?", "en": f"Question {kind}?"},
            "points": 2.0 if kind == "essay" else 1.0, "explanation": {"vi": "Xem bài 3."},
            "type_data": type_data}


def author_module_with_every_question_type(user_id):
    """What a trainer builds in the browser, through the same services the views call."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
    module = authoring.create_module(course, "mo-rong", {
        "title": {"vi": "Mở rộng", "en": "Going further"}, "summary": {}}, user_id)
    body = "## Tóm tắt\n\nNội dung **mới**.\n\n![Sơ đồ chu trình](media/chu-trinh.svg)\n"
    authoring.create_lesson(course, module, "bai-moi", {
        "title": {"vi": "Bài mới", "en": "New lesson"},
        "objectives": {"vi": ["Nắm được ý chính"], "en": ["Get the main idea"]},
        "body": {"vi": body, "en": "## Summary\n\nNew content.\n"}, "minutes": 12}, user_id)
    quiz = authoring.create_quiz(course, "mo-rong-quiz", {
        "title": {"vi": "Kiểm tra mở rộng"}, "description": {}, "module": "mo-rong",
        "required": False, "pass_score": 60.0, "time_limit_minutes": None, "max_attempts": 2,
        "grading": "last", "shuffle_questions": False, "shuffle_choices": True, "draw": None,
        "review": "full"}, user_id)
    for number, (kind, fields) in enumerate(EVERY_TYPE.items(), 1):
        authoring.create_question(course, quiz, f"c{number}", _question_data(kind, fields),
                                  user_id)
    authoring_publish.publish(course, user_id)
    return course


def test_export_writes_the_package_format(runner, loaded, tmp_path):
    result = invoke(runner, "content", "export", tmp_path)
    assert result.exit_code == 0, result.output
    assert "wrote 12 files for 1 course(s)" in result.output
    quiz = yaml.safe_load((tmp_path / "quizzes/demo/module-1.yaml").read_text(encoding="utf-8"))
    assert quiz["slug"] == "module-1" and quiz["module"] == "gioi-thieu"
    assert [q["key"] for q in quiz["questions"]] == ["q1", "q2", "q3", "q4"]
    lesson = (tmp_path / "lessons/demo/01-gioi-thieu/01-tong-quan.en.md").read_text("utf-8")
    assert lesson.startswith("---\ntitle: External information at a glance\n")
    assert (tmp_path / "lessons/demo/media/chu-trinh.svg").read_bytes().startswith(b"<svg")


def test_export_leaves_out_drafts_new_and_archived_items(runner, loaded, tmp_path, make_user):
    trainer = make_user("trainer")
    course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "doi-tuong"))
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "final"))
    with writing():
        data = authoring_history.current_data("lesson", lesson)
        data["body"]["vi"] = "Bản nháp chưa xuất bản."
        authoring_history.save_draft(course.id, "lesson", lesson, data, trainer.id)
        module = db.session.get(type(lesson).module.property.mapper.class_, lesson.module_id)
        authoring.create_lesson(course, module, "chua-xuat-ban", {
            "title": {"vi": "Mới"}, "objectives": {"vi": []}, "body": {"vi": "Mới."},
            "minutes": None}, trainer.id)
        quiz.archived = True
        db.session.commit()
    invoke(runner, "content", "export", tmp_path)
    text = (tmp_path / "lessons/demo/01-gioi-thieu/02-doi-tuong.md").read_text("utf-8")
    assert "Nhà đầu tư" in text and "Bản nháp" not in text
    assert not list(tmp_path.rglob("*chua-xuat-ban*"))
    assert not (tmp_path / "quizzes/demo/final.yaml").exists()


def test_export_warns_about_files_it_did_not_write(runner, loaded, tmp_path):
    stray = tmp_path / "quizzes" / "demo" / "old.yaml"
    stray.parent.mkdir(parents=True)
    stray.write_text("title: x\n", encoding="utf-8")
    result = invoke(runner, "content", "export", tmp_path)
    assert result.exit_code == 0
    assert "old.yaml is not part of the export" in result.output


def test_browser_authored_content_survives_export_and_load(runner, loaded, tmp_path,
                                                           make_user):
    trainer = make_user("trainer")
    with writing():
        course = author_module_with_every_question_type(trainer.id)
        db.session.commit()
    spec = course_spec(course)
    quiz = next(q for q in spec.quizzes if q.slug == "mo-rong-quiz")
    assert sorted(q.type for q in quiz.questions) == sorted(EVERY_TYPE)
    with writing():  # an archived question in the middle leaves no gap in the file's order
        authoring_lifecycle.set_archived("question", db.session.scalar(
            sa.select(Question).where(Question.key == "c2")), True)
        db.session.commit()
    db.session.expire_all()
    before = database_state()
    assert invoke(runner, "content", "export", tmp_path).exit_code == 0
    assert invoke(runner, "content", "check", "--root", tmp_path).exit_code == 0
    assert read_package(tmp_path)[0] == course_specs()
    again = invoke(runner, "content", "load", "--root", tmp_path)
    assert "no changes" in again.output, again.output
    db.session.expire_all()
    assert database_state() == before
    lesson = (tmp_path / "lessons/demo/03-mo-rong/01-bai-moi.md").read_text("utf-8")
    assert "minutes: 12" in lesson and "![Sơ đồ chu trình](media/chu-trinh.svg)" in lesson


def test_package_zip_holds_the_same_files(loaded, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(zip_package(course_specs())))
    archive.extractall(tmp_path)
    assert "lessons/demo/course.yaml" in archive.namelist()
    courses, problems = read_package(tmp_path)
    assert [p for p in problems if not p.warning] == []
    assert courses == course_specs()
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 8
