"""Plain specs of a course package, as read from files and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Text = dict[str, str]  # {"vi": ..., "en": ...}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass
class LessonSpec:
    slug: str
    position: int
    title: Text
    objectives: dict[str, list[str]]
    body: Text
    minutes: int


@dataclass
class ModuleSpec:
    slug: str
    position: int
    title: Text
    summary: Text
    lessons: list[LessonSpec] = field(default_factory=list)


@dataclass
class QuestionSpec:
    key: str
    type: str
    position: int
    text: Text
    points: float
    explanation: Text
    type_data: dict[str, Any]
    lesson: str | None = None  # the slug of the lesson the question assesses
    # Where `lesson` is written (file, line), for the package's cross-check.
    lesson_at: tuple[str, int] | None = field(default=None, compare=False)


@dataclass
class QuizSpec:
    slug: str
    position: int
    title: Text
    description: Text
    module: str | None
    required: bool
    pass_score: float
    time_limit_minutes: int | None
    max_attempts: int | None
    grading: str
    shuffle_questions: bool
    shuffle_choices: bool
    draw: int | None
    review: str
    questions: list[QuestionSpec] = field(default_factory=list)
    # Set when the review options are not one of the shorthands (domain/review_options.py).
    review_options: dict[str, list[str]] | None = None


@dataclass
class MediaSpec:
    name: str
    content_type: str
    data: bytes


@dataclass
class CourseSpec:
    slug: str
    title: Text
    description: Text
    audience: Text
    estimated_hours: float | None
    completion: dict[str, Any]
    certificate: dict[str, Any]
    modules: list[ModuleSpec] = field(default_factory=list)
    quizzes: list[QuizSpec] = field(default_factory=list)
    media: list[MediaSpec] = field(default_factory=list)
