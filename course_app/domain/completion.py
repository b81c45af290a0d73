"""The course completion rule: which lessons and quizzes earn the certificate."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course_app.domain.scoring import is_passed

LESSON_RULES = ("all",)
QUIZ_RULES = ("required",)
RULE_KEYS = ("lessons", "quizzes", "min_average", "final_exam", "min_final_score", "min_hours")


@dataclass(frozen=True)
class QuizStatus:
    quiz_id: int
    required: bool
    pass_score: float
    grade: float | None  # the quiz grade (scoring.quiz_grade), None before any finished attempt
    slug: str | None = None  # lets a rule name its final exam
    capstone: bool = False  # a required assignment graded by rubric (domain/quiz_rules.py)


def _percentage(name: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"completion.{name} must be a percentage 0–100")


@dataclass(frozen=True)
class CompletionRule:
    lessons: str = "all"
    quizzes: str = "required"
    min_average: float | None = None
    final_exam: str | None = None  # slug of the final exam quiz, which must then be passed
    min_final_score: float | None = None  # percent on the final exam (default: its pass_score)
    min_hours: float | None = None  # minimum study time, in hours

    def __post_init__(self) -> None:
        if self.lessons not in LESSON_RULES:
            raise ValueError(f"completion.lessons must be one of {LESSON_RULES}")
        if self.quizzes not in QUIZ_RULES:
            raise ValueError(f"completion.quizzes must be one of {QUIZ_RULES}")
        _percentage("min_average", self.min_average)
        _percentage("min_final_score", self.min_final_score)
        if self.min_final_score is not None and not self.final_exam:
            raise ValueError("completion.min_final_score needs completion.final_exam")
        if self.min_hours is not None and self.min_hours < 0:
            raise ValueError("completion.min_hours must be a number >= 0")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> CompletionRule:
        """The rule from a course's `completion` block; unknown keys and nulls are ignored."""
        given = {k: v for k, v in (mapping or {}).items() if k in RULE_KEYS and v is not None}
        return cls(**given)


@dataclass(frozen=True)
class CompletionStatus:
    lessons_total: int
    lessons_read: int
    quizzes_total: int         # required quizzes
    quizzes_passed: int        # required quizzes passed
    average: float | None      # of the graded required quizzes; None when none is graded
    complete: bool
    percent: int               # progress 0..100 (100 only when complete)
    final_score: float | None = None  # grade of the rule's final exam, when it names one
    study_hours: float | None = None  # as given to evaluate()
    # None: the course has no capstone; True once every capstone is graded passing.
    capstone_assessed: bool | None = None


def _average(quizzes: Sequence[QuizStatus]) -> float | None:
    grades = [q.grade for q in quizzes if q.grade is not None]
    return round(math.fsum(grades) / len(grades), 2) if grades else None


def _final_exam(rule: CompletionRule, quizzes: Sequence[QuizStatus]) -> tuple[bool, float | None]:
    """Whether the final exam condition holds, and the final exam's grade."""
    if not rule.final_exam:
        return True, None
    exam = next((q for q in quizzes if q.slug == rule.final_exam), None)
    if exam is None:  # a rule naming a missing quiz can never be met
        return False, None
    needed = rule.min_final_score if rule.min_final_score is not None else exam.pass_score
    return is_passed(exam.grade, needed), exam.grade


def _enough_hours(rule: CompletionRule, study_hours: float | None) -> bool:
    if rule.min_hours is None:
        return True
    return study_hours is not None and study_hours + 1e-9 >= rule.min_hours


def evaluate(rule: CompletionRule, lesson_ids: Collection[int], read_ids: Collection[int],
             quizzes: Sequence[QuizStatus], study_hours: float | None = None) -> CompletionStatus:
    """Progress and completion of one trainee in one course."""
    lessons = set(lesson_ids)
    read = len(lessons & set(read_ids))
    required = [q for q in quizzes if q.required]
    passed = sum(1 for q in required if is_passed(q.grade, q.pass_score))
    average = _average(required)
    final_ok, final_score = _final_exam(rule, quizzes)
    capstones = [q for q in required if q.capstone]
    # A capstone counts once a trainer has graded it passing: until then it has no grade.
    assessed = all(is_passed(q.grade, q.pass_score) for q in capstones) if capstones else None
    total = len(lessons) + len(required)
    complete = (
        total > 0
        and read == len(lessons)
        and passed == len(required)
        and (rule.min_average is None or is_passed(average, rule.min_average))
        and final_ok
        and _enough_hours(rule, study_hours)
        and assessed is not False
    )
    percent = 0 if total == 0 else (read + passed) * 100 // total
    if not complete:
        percent = min(percent, 99)
    return CompletionStatus(len(lessons), read, len(required), passed, average, complete, percent,
                            final_score, study_hours, assessed)
