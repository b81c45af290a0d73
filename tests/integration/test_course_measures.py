"""The real course's quizzes measure learning: test-wise heuristics fail, pools allow retakes.

Limits from issue 21. The heuristics are computed by tests/integration/course_measures.py; the first
tests below check that the measures themselves notice a quiz that gives its answers away.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_app.content.package import read_package
from course_app.content.specs import CourseSpec, QuestionSpec, QuizSpec
from tests.integration.course_measures import (
    absolute_word_hits,
    cited_lessons,
    longest_option_hits,
    module_quizzes,
    questions,
    true_false_keys,
)

ROOT = Path(__file__).resolve().parents[2]
SLUG = "truyen-thong-hinh-anh"
LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def course() -> CourseSpec:
    courses, problems = read_package(ROOT)
    assert [str(p) for p in problems if not p.warning] == []
    return next(c for c in courses if c.slug == SLUG)


def _quiz_of(*items: QuestionSpec) -> CourseSpec:
    quiz = QuizSpec("q", 1, {"vi": "q"}, {}, "m", True, 70, None, None, "highest", False, False,
                    None, "full", list(items))
    return CourseSpec("c", {"vi": "c"}, {}, {}, None, {}, {}, quizzes=[quiz])


def _text(vi: str, en: str | None = None) -> dict[str, str]:
    return {"vi": vi, "en": en or vi}


def test_the_measures_catch_a_quiz_that_gives_itself_away():
    choices = [{"key": "a", "correct": True, "text": _text("một đáp án dài và đầy đủ chi tiết")},
               {"key": "b", "correct": False, "text": _text("ngắn")}]
    single = QuestionSpec("s", "single", 0, _text("?"), 1, _text("Xem Bài 1.1."),
                          {"choices": choices})
    absolute = QuestionSpec("t", "true_false", 1, _text("Luôn luôn như vậy.", "It is always so."),
                            1, _text("Sai. Xem Bài 1.1.", "False. See Lesson 1.1."),
                            {"answer": False})
    course = _quiz_of(single, absolute)
    assert longest_option_hits(course, "vi") == (1, 1)
    assert true_false_keys(course) == (0, 1)
    assert absolute_word_hits(course, "vi") == (1, 1) == absolute_word_hits(course, "en")
    assert cited_lessons(single, "vi") == {(1, 1)}


@pytest.mark.parametrize("lang", LANGS)
def test_the_longest_option_is_right_on_at_most_35_percent_of_single_choice_items(course, lang):
    hits, total = longest_option_hits(course, lang)
    assert total >= 40 and hits / total <= 0.35, (hits, total)


def test_true_false_keys_are_balanced(course):
    trues, total = true_false_keys(course)
    assert total >= 20 and 0.40 <= trues / total <= 0.60, (trues, total)


@pytest.mark.parametrize("lang", LANGS)
def test_absolute_word_means_false_is_right_on_at_most_60_percent(course, lang):
    hits, total = absolute_word_hits(course, lang)
    assert hits / total <= 0.60, (hits, total)


def test_every_module_has_a_quiz_drawing_from_a_pool_twice_its_size(course):
    quizzes = module_quizzes(course)
    assert {q.module for q in quizzes} == {m.slug for m in course.modules}
    for quiz in quizzes:
        assert quiz.draw and len(quiz.questions) >= 2 * quiz.draw, quiz.slug
        assert quiz.max_attempts and quiz.max_attempts > 1, quiz.slug
    final = next(q for q in course.quizzes if q.slug == "final-exam")
    assert final.draw and len(final.questions) >= 2 * final.draw


@pytest.mark.parametrize("lang", LANGS)
def test_every_item_cites_a_lesson_that_exists(course, lang):
    lessons = {(m.position, lesson.position) for m in course.modules for lesson in m.lessons}
    for question in questions(course):
        if question.type == "essay":
            continue
        cited = cited_lessons(question, lang)
        assert cited and cited <= lessons, (question.key, lang, cited)


def test_every_module_quiz_tests_its_own_module(course):
    positions = {m.slug: m.position for m in course.modules}
    for quiz in module_quizzes(course):
        own = positions[quiz.module]
        for question in quiz.questions:
            assert own in {m for m, _ in cited_lessons(question, "vi")}, question.key


def test_numeric_items_are_worked_out_not_counted(course):
    for question in questions(course, "numeric"):
        working = question.explanation["vi"]
        assert re.search(r"[×/−+]", working), (question.key, "the explanation shows no working")
        assert not re.search(r"gồm bao nhiêu|bao nhiêu (bước|nhóm|mục|câu hỏi|thông điệp)",
                             question.text["vi"]), question.key


def test_multiple_response_items_have_wrong_choices_and_no_joke_options(course):
    for question in questions(course, "multiple"):
        wrong = [c for c in question.type_data["choices"] if not c["correct"]]
        assert len(wrong) >= 2, question.key
        for choice in wrong:
            assert not re.search(r"không cần|bỏ qua|mọi thứ", choice["text"]["vi"]), question.key


def _all_text(course: CourseSpec, lang: str) -> str:
    parts = [course.description.get(lang, ""), course.audience.get(lang, "")]
    for module in course.modules:
        parts += [module.title.get(lang, ""), module.summary.get(lang, "")]
        parts += [lesson.body.get(lang, "") for lesson in module.lessons]
    for question in questions(course):
        parts += [question.text.get(lang, ""), question.explanation.get(lang, "")]
    return "\n".join(parts)


def test_names_and_terms_are_right(course):
    english, vietnamese = _all_text(course, "en"), _all_text(course, "vi")
    assert "propaganda" not in english.lower()
    assert "đường cơ sở" not in vietnamese.replace("*đường cơ sở*", "")
    assert "ven biển" not in vietnamese and "coastal" not in english.lower()
    title_57 = ("tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại "
                "trong tình hình mới")
    assert "57-KL/TW" in vietnamese and title_57 in vietnamese
    assert "xoay quanh chủ đề" in course.description["vi"]
    assert "built around the theme" in course.description["en"]
