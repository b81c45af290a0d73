"""An open attempt as plain rows, for showing the attempt page.

Every view of an attempt in progress (the page a trainee keeps open for half an hour, and opens
again after each save without JavaScript) read the attempt, its quiz and its course as ORM
objects, some 45 columns: a sixth of the page. Showing the page needs a dozen of them and writes
nothing, so it reads them as one plain row. Anything else (saving, submitting, an attempt
closed or out of time, which the full path grades or redirects) goes through
attempts.owned_attempt_with_quiz and the ORM as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from .. import database
from ..domain.errors import NotFound
from ..models import Attempt, Course, Quiz, User
from . import attempt_snapshots
from .attempts import deadline_passed


@dataclass
class OpenAttempt:
    """What the attempt page reads of an Attempt (the same names)."""
    id: int
    number: int
    status: str
    seed: int
    started_at: datetime
    deadline_at: datetime | None
    questions: list[dict[str, Any]]


@dataclass(frozen=True)
class QuizHead:
    id: int
    slug: str
    title: dict[str, str]
    shuffle_choices: bool


@dataclass(frozen=True)
class CourseHead:
    id: int
    slug: str
    title: dict[str, str]


@dataclass(frozen=True)
class AttemptPage:
    attempt: OpenAttempt
    quiz: QuizHead
    course: CourseHead


_OPEN = (sa.select(Attempt.id, Attempt.number, Attempt.status, Attempt.seed, Attempt.started_at,
                   Attempt.deadline_at, sa.cast(Attempt.questions, sa.Text),
                   Quiz.id, Quiz.slug, Quiz.title, Quiz.shuffle_choices,
                   Course.id, Course.slug, Course.title)
         .join(Quiz, Quiz.id == Attempt.quiz_id)
         .join(Course, Course.id == Quiz.course_id)
         .where(Attempt.id == sa.bindparam("attempt"), Attempt.user_id == sa.bindparam("user")))


def open_attempt_page(user: User, attempt_id: int) -> AttemptPage | None:
    """The user's attempt with its quiz and course when it is open and in time; None when it
    is closed or out of time (the caller takes the full path); NotFound when it is not theirs."""
    row = database.rows(_OPEN, {"attempt": attempt_id, "user": user.id}).first()
    if row is None:
        raise NotFound("attempt")  # another trainee's attempt does not exist for you
    (attempt_id, number, status, seed, started_at, deadline_at, stored,
     quiz_id, quiz_slug, quiz_title, shuffle_choices, course_id, course_slug, course_title) = row
    attempt = OpenAttempt(attempt_id, number, status, seed, started_at, deadline_at, [])
    if status != "in_progress" or deadline_passed(attempt):
        return None
    attempt.questions = attempt_snapshots.questions(attempt, stored)
    return AttemptPage(attempt, QuizHead(quiz_id, quiz_slug, quiz_title, shuffle_choices),
                       CourseHead(course_id, course_slug, course_title))
