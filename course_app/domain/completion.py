"""The course completion rule: which lessons and quizzes earn the certificate."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from course_app.domain.scoring import is_passed

LESSON_RULES = ("all",)
QUIZ_RULES = ("required",)


@dataclass(frozen=True)
class QuizStatus:
    quiz_id: int
    required: bool
    pass_score: float
    grade: float | None  # the quiz grade (scoring.quiz_grade), None before any finished attempt


@dataclass(frozen=True)
class CompletionRule:
    lessons: str = "all"
    quizzes: str = "required"
    min_average: float | None = None

    def __post_init__(self) -> None:
        if self.lessons not in LESSON_RULES:
            raise ValueError(f"completion.lessons must be one of {LESSON_RULES}")
        if self.quizzes not in QUIZ_RULES:
            raise ValueError(f"completion.quizzes must be one of {QUIZ_RULES}")


@dataclass(frozen=True)
class CompletionStatus:
    lessons_total: int
    lessons_read: int
    quizzes_total: int         # required quizzes
    quizzes_passed: int        # required quizzes passed
    average: float | None      # of the graded required quizzes; None when none is graded
    complete: bool
    percent: int               # progress 0..100 (100 only when complete)


def _average(quizzes: Sequence[QuizStatus]) -> float | None:
    grades = [q.grade for q in quizzes if q.grade is not None]
    return round(math.fsum(grades) / len(grades), 2) if grades else None


def evaluate(rule: CompletionRule, lesson_ids: Collection[int], read_ids: Collection[int],
             quizzes: Sequence[QuizStatus]) -> CompletionStatus:
    """Progress and completion of one trainee in one course."""
    lessons = set(lesson_ids)
    read = len(lessons & set(read_ids))
    required = [q for q in quizzes if q.required]
    passed = sum(1 for q in required if is_passed(q.grade, q.pass_score))
    average = _average(required)
    total = len(lessons) + len(required)
    complete = (
        total > 0
        and read == len(lessons)
        and passed == len(required)
        and (rule.min_average is None or is_passed(average, rule.min_average))
    )
    percent = 0 if total == 0 else (read + passed) * 100 // total
    if not complete:
        percent = min(percent, 99)
    return CompletionStatus(len(lessons), read, len(required), passed, average, complete, percent)
