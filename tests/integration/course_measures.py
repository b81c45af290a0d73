"""Test-wise heuristics over a course's quizzes: how far a reader who never opened a lesson gets.

Each measure is a pure function of the course spec, so the package test can assert its limits and a
writer can print the figures while revising items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from course_app.content.specs import CourseSpec, QuestionSpec, QuizSpec

# Words that make a statement absolute. A test-wise reader guesses "false" when one appears.
ABSOLUTE = {
    "en": re.compile(r"\b(always|never|only|all|every|everything|any|none|no one|nothing|"
                     r"completely|entirely|must|solely|whole)\b", re.IGNORECASE),
    "vi": re.compile(r"(?<!\w)(luôn|luôn luôn|mọi|tất cả|không bao giờ|duy nhất|hoàn toàn|"
                     r"bất kỳ|bất cứ|tuyệt đối|nhất thiết|bắt buộc|toàn bộ|"
                     r"chỉ(?! (đạo|số|tiêu|báo|dẫn|định|ra|rõ|thị|huy|mục))|"
                     r"không (cần|được|có|phải))(?!\w)", re.IGNORECASE),
}


def questions(course: CourseSpec, kind: str | None = None) -> Iterator[QuestionSpec]:
    for quiz in course.quizzes:
        for question in quiz.questions:
            if kind is None or question.type == kind:
                yield question


def longest_option_hits(course: CourseSpec, lang: str) -> tuple[int, int]:
    """(single-choice items whose right answer is a longest option, single-choice items)."""
    hits = total = 0
    for question in questions(course, "single"):
        choices = question.type_data["choices"]
        lengths = [len(choice["text"].get(lang, choice["text"]["vi"])) for choice in choices]
        longest = max(lengths)
        total += 1
        hits += any(c["correct"] and n == longest for c, n in zip(choices, lengths, strict=True))
    return hits, total


def true_false_keys(course: CourseSpec) -> tuple[int, int]:
    """(true/false items keyed true, true/false items)."""
    answers = [bool(q.type_data["answer"]) for q in questions(course, "true_false")]
    return sum(answers), len(answers)


def absolute_word_hits(course: CourseSpec, lang: str) -> tuple[int, int]:
    """(true/false items the rule 'an absolute word means false' gets right, true/false items)."""
    hits = total = 0
    for question in questions(course, "true_false"):
        guess = not ABSOLUTE[lang].search(question.text.get(lang, question.text["vi"]))
        total += 1
        hits += guess == bool(question.type_data["answer"])
    return hits, total


def module_quizzes(course: CourseSpec) -> list[QuizSpec]:
    return [quiz for quiz in course.quizzes if quiz.module]


LESSON_REF = {"vi": re.compile(r"Bài (\d+)\.(\d+)"), "en": re.compile(r"Lesson (\d+)\.(\d+)")}


def cited_lessons(question: QuestionSpec, lang: str) -> set[tuple[int, int]]:
    """The lessons an item's explanation points to, as (module, lesson) positions."""
    text = question.explanation.get(lang, "")
    return {(int(m), int(n)) for m, n in LESSON_REF[lang].findall(text)}


def figures(course: CourseSpec) -> dict[str, object]:
    trues, tf_total = true_false_keys(course)
    return {
        "longest_vi": longest_option_hits(course, "vi"),
        "longest_en": longest_option_hits(course, "en"),
        "tf_true": (trues, tf_total),
        "absolute_vi": absolute_word_hits(course, "vi"),
        "absolute_en": absolute_word_hits(course, "en"),
        "pools": {q.slug: (len(q.questions), q.draw) for q in course.quizzes},
        "modules": len(course.modules),
        "lessons": sum(len(m.lessons) for m in course.modules),
        "types": {k: sum(1 for _ in questions(course, k)) for k in
                  ("single", "multiple", "true_false", "short", "numeric", "matching",
                   "ordering", "essay")},
    }
