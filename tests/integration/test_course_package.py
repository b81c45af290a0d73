"""The real course in lessons/ and quizzes/: it checks, loads, and has the promised shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.catalog.content_loader import load_courses
from course_app.content.markdown import image_references
from course_app.content.package import read_package
from course_app.database import writing
from course_app.domain.text import word_count
from course_app.extensions import db
from course_app.models import Lesson, Question, Quiz

ROOT = Path(__file__).resolve().parents[2]
SLUG = "truyen-thong-hinh-anh"


@pytest.fixture(scope="module")
def course():
    courses, problems = read_package(ROOT)
    errors = [str(p) for p in problems if not p.warning]
    assert errors == []
    assert [str(p) for p in problems] == [], "the real course should not even warn"
    return next(c for c in courses if c.slug == SLUG)


def test_course_has_eight_modules_of_three_lessons(course):
    assert len(course.modules) >= 8
    assert all(len(m.lessons) >= 3 for m in course.modules)
    assert sum(len(m.lessons) for m in course.modules) >= 24


def test_every_lesson_has_objectives_an_example_and_an_exercise_in_both_languages(course):
    for module in course.modules:
        for lesson in module.lessons:
            vi, en = lesson.body["vi"], lesson.body["en"]
            assert len(lesson.objectives["vi"]) >= 2 and len(lesson.objectives["en"]) >= 2
            assert "Bài tập" in vi or "Danh mục kiểm tra" in vi, lesson.slug
            assert "exercise" in en.lower() or "checklist" in en.lower(), lesson.slug
            assert "example" in en.lower(), lesson.slug
            assert word_count(en) >= 500, lesson.slug


def test_every_item_is_bilingual(course):
    assert {"vi", "en"} <= course.title.keys() and {"vi", "en"} <= course.description.keys()
    for module in course.modules:
        assert {"vi", "en"} <= module.title.keys()
        for lesson in module.lessons:
            assert {"vi", "en"} <= lesson.title.keys() and {"vi", "en"} <= lesson.body.keys()
            assert lesson.objectives["vi"] and lesson.objectives["en"]
    for quiz in course.quizzes:
        for question in quiz.questions:
            assert "en" in question.text and "en" in question.explanation, question.key


def test_lessons_have_the_promised_length_and_parts(course):
    for module in course.modules:
        for lesson in module.lessons:
            words = word_count(lesson.body["vi"])
            assert 600 <= words <= 1500, (lesson.slug, words)
            assert "Ghi nhớ" in lesson.body["vi"] or "ghi nhớ" in lesson.body["vi"], lesson.slug
            assert "giả định" in lesson.body["vi"].lower() or "Ví dụ" in lesson.body["vi"]


def test_every_module_has_a_diagram_with_alt_text(course):
    for module in course.modules:
        images = [ref for lesson in module.lessons for ref in image_references(lesson.body["vi"])]
        assert images, module.slug
        assert all(alt.strip() for _, alt in images)


def test_quiz_counts_and_types(course):
    module_quizzes = [q for q in course.quizzes if q.module]
    assert len(module_quizzes) >= 8
    assert all(len(q.questions) >= 16 and q.draw == 8 for q in module_quizzes)
    assert sum(len(q.questions) for q in module_quizzes) >= 128
    final = next(q for q in course.quizzes if q.slug == "final-exam")
    assert len(final.questions) >= 40 and final.draw == 20
    assert final.time_limit_minutes == 30 and final.pass_score == 70 and final.required
    types = Counter(q.type for quiz in course.quizzes for q in quiz.questions)
    assert set(types) == {"single", "multiple", "true_false", "short", "numeric", "matching",
                          "ordering", "essay"}
    for quiz in course.quizzes:
        if quiz.required and quiz.slug != "capstone":
            assert quiz.pass_score == 70
            assert all(q.type != "essay" for q in quiz.questions)


def test_the_capstone_is_required_and_graded_by_rubric(course):
    """Issue 21: a required capstone of products (a plan, a holding statement), each graded by
    a rubric grid whose best levels make the question's points, with word limits."""
    capstone = next(q for q in course.quizzes if q.slug == "capstone")
    assert capstone.required and capstone.module is None and len(capstone.questions) == 2
    lessons = {lesson.slug for m in course.modules for lesson in m.lessons}
    for question in capstone.questions:
        data = question.type_data
        assert question.type == "essay" and len(data["criteria"]) >= 3, question.key
        assert sum(max(lv["points"] for lv in c["levels"]) for c in data["criteria"]) \
            == question.points
        assert data["min_words"] and data["max_words"] and question.lesson in lessons
        for criterion in data["criteria"]:
            assert {"vi", "en"} <= criterion["title"].keys()
            assert all({"vi", "en"} <= lv["label"].keys() for lv in criterion["levels"])


def test_real_course_loads_twice_without_changes(app, course):
    with writing():
        first = load_courses([course])
        db.session.commit()
        second = load_courses([course])
        db.session.commit()
    assert first.changed and not second.changed
    assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) >= 24
    assert db.session.scalar(sa.select(sa.func.count(Quiz.id))) >= 10
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) >= 170


def test_every_item_names_the_lesson_it_assesses(course):
    """Issue 21: each question's `lesson` is an existing lesson (the review links to it) and
    one its explanation cites."""
    lessons = {lesson.slug: (m.position, lesson.position)
               for m in course.modules for lesson in m.lessons}
    for quiz in course.quizzes:
        for question in quiz.questions:
            assert question.lesson in lessons, question.key
            module, number = lessons[question.lesson]
            assert f"Bài {module}.{number}" in question.explanation["vi"], question.key


def test_module_quizzes_and_the_final_hide_the_key_while_attempts_remain(course):
    """Issue 21: no trainee retakes a quiz with the key of a first review."""
    from course_app.domain import review_options

    for quiz in course.quizzes:
        if quiz.module or quiz.slug == "final-exam":
            options = review_options.effective(quiz.review, quiz.review_options)
            assert review_options.hides_key_while_retaking(options), quiz.slug
