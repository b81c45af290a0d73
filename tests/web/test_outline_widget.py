"""The course outline macro (templates/learn/_outline.html): the trainee's state on each line,
the current lesson marked, titles escaped, labels in the reader's language."""

from __future__ import annotations

from types import SimpleNamespace as Row

import pytest
from flask import current_app
from flask_babel import force_locale

HOSTILE = '<img src=x onerror="alert(1)">'


def lesson(number: int, title: str) -> Row:
    return Row(id=number, slug=f"bai-{number}", title={"vi": title, "en": f"Lesson {number}"})


def quiz_state(slug: str, grade: float | None, passed: bool, required: bool = True) -> Row:
    return Row(quiz=Row(slug=slug, title={"vi": f"Kiểm tra {slug}", "en": f"Quiz {slug}"},
                        required=required), grade=grade, passed=passed)


def progress(generation: int | None = None, second_read: bool = False,
             grade: float = 80.0) -> Row:
    module_quizzes = [quiz_state("q1", grade, grade >= 80)]
    course_quizzes = [quiz_state("cuoi", None, False), quiz_state("tu-chon", 40.0, False, False)]
    return Row(
        course=Row(id=1, slug="demo"), generation=generation,
        modules=[Row(module=Row(title={"vi": "Giới thiệu", "en": "Introduction"}),
                     lessons=[(lesson(1, "Tổng quan"), True), (lesson(2, HOSTILE), second_read)],
                     quizzes=module_quizzes)],
        course_quizzes=course_quizzes, all_quizzes=module_quizzes + course_quizzes)


PROGRESS = progress()


def course_outline(*args, **kwargs):
    macros = current_app.jinja_env.get_template("learn/_outline.html").module
    return macros.course_outline(*args, **kwargs)


@pytest.fixture
def page(app):
    with app.test_request_context("/"):
        yield


def test_each_line_shows_the_trainees_state(page):
    html = str(course_outline(PROGRESS, current_lesson_id=2))
    assert '<li class="done"><a href="/courses/demo/lessons/bai-1">Tổng quan</a>' in html
    assert '<li class=" current"><a href="/courses/demo/lessons/bai-2" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
    assert '<li class="quiz done">' in html and 'href="/courses/demo/quizzes/q1"' in html
    assert "80%" in html and "chưa làm" in html and "40% · không bắt buộc" in html
    assert html.count("đã đọc") == 1 and html.count("chưa đọc") == 1
    assert "<h3>Giới thiệu</h3>" in html and html.count("<h3>") == 2  # module + final assessment
    assert "&lt;img" in html and "<img" not in html


def test_labels_and_titles_follow_the_language(page):
    with force_locale("en"):
        html = str(course_outline(PROGRESS))
    assert "Course outline" in html and "Lesson 1" in html and "Final assessment" in html
    assert "not taken" in html and "optional" in html and "passed" in html
    assert "aria-current" not in html
