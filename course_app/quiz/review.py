"""What an attempt's review may show now: the quiz's review options (domain/review_options.py)
applied to the trainee's state (passed, attempts left, cohort ended). At most three queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..domain import quiz_rules
from ..domain import review_options as review_rules
from ..domain.completion import CompletionStatus
from ..extensions import db
from ..models import Attempt, Cohort, Enrolment, Lesson, Question, Quiz, User
from ..models.schedule import Override
from ..models.types import utcnow
from ..progress import service as progress
from .attempt_pages import ReviewedQuestion, review_questions

_COHORTS = (sa.select(Cohort.id, Cohort.ends_on).join(Enrolment, Enrolment.cohort_id == Cohort.id)
            .where(Enrolment.user_id == sa.bindparam("user"),
                   Cohort.course_id == sa.bindparam("course")))


def cohort_closed(ends: list[date | None], today: date) -> bool:
    """Every cohort the trainee takes the course in has ended (and there is one)."""
    return bool(ends) and all(end is not None and end < today for end in ends)


def state(user: User, quiz: Quiz, status: progress.QuizProgress | None = None,
          today: date | None = None) -> review_rules.ReviewState:
    status = status or progress.quiz_statuses(user, [quiz])[quiz.id]
    cohorts = db.session.execute(_COHORTS, {"user": user.id, "course": quiz.course_id}).all()
    extra = 0
    if cohorts and quiz.max_attempts is not None:
        extra = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(
            Override.extra_attempts), 0)).where(
            Override.user_id == user.id, Override.cohort_id.in_([c[0] for c in cohorts]),
            sa.or_(Override.quiz_id == quiz.id, Override.quiz_id.is_(None)))) or 0
    limit = None if quiz.max_attempts is None else quiz.max_attempts + int(extra)
    return review_rules.ReviewState(
        passed=status.passed, attempts_left=quiz_rules.attempts_left(limit, status.attempts_used),
        cohort_closed=cohort_closed([c[1] for c in cohorts], today or utcnow().date()))


def visible(user: User, quiz: Quiz,
            status: progress.QuizProgress | None = None) -> review_rules.Visible:
    """What the reviews of the user's attempts at the quiz show now (`status`: the quiz's
    progress when the caller has it, saving its query)."""
    options = review_rules.effective(quiz.review, quiz.review_options)
    return review_rules.visible(options, state(user, quiz, status))


def hidden_scores(user: User, statuses: list[progress.QuizProgress]) -> set[int]:
    """The ids of the quizzes, among those the trainee has a grade in, whose review options
    hide the score now (the course outline shows "shown later" for them). No query unless a
    quiz hides its score at some moment; then this quiz's state (at most two queries)."""
    hidden: set[int] = set()
    for status in statuses:
        if status.grade is None:
            continue
        quiz = status.quiz
        options = review_rules.effective(quiz.review, quiz.review_options)
        if "immediately" in options.get("score", ("immediately",)):
            continue
        if not review_rules.visible(options, state(user, quiz, status)).score:
            hidden.add(quiz.id)
    return hidden


def passed_shown(status: CompletionStatus, statuses: list[progress.QuizProgress],
                 hidden: set[int]) -> review_rules.PassedShown:
    """"Quizzes passed: X of Y" for the dashboard and the course page (`hidden`: the ids
    hidden_scores found)."""
    return review_rules.passed_shown(status.quizzes_passed, status.quizzes_total, [
        s.passed for s in statuses if s.quiz.required and s.quiz.id in hidden])


def lesson_titles(quiz: Quiz, slugs: set[str]) -> dict[str, dict[str, str]]:
    """The titles of the live lessons of the quiz's course among `slugs` (the lessons the
    reviewed questions cite), for "read again" links; one query, none without citations."""
    if not slugs:
        return {}
    rows = db.session.execute(sa.select(Lesson.slug, Lesson.title).where(
        Lesson.course_id == quiz.course_id, Lesson.slug.in_(sorted(slugs)),
        Lesson.archived.is_(False))).all()
    return {slug: title for slug, title in rows}


_CITED = sa.select(Question.key, Question.lesson).where(
    Question.quiz_id == sa.bindparam("quiz"), Question.lesson.is_not(None))


def cited_lessons(quiz: Quiz) -> dict[str, str]:
    """{question key: lesson slug} as the quiz file cites them now (a citation is a pointer
    for reading, not graded content, so the live question's is shown)."""
    return {key: lesson for key, lesson in db.session.execute(_CITED, {"quiz": quiz.id})}


@dataclass
class ReviewPage:
    seen: review_rules.Visible
    questions: list[ReviewedQuestion]
    lessons: dict[str, dict[str, str]]  # cited lesson slug → its title
    options: review_rules.Options


def review_page(user: User, quiz: Quiz, attempt: Attempt) -> ReviewPage:
    seen = visible(user, quiz)
    questions = review_questions(attempt, quiz, seen)
    cited = cited_lessons(quiz)
    for question in questions:
        question.lesson = cited.get(question.key)
    lessons = lesson_titles(quiz, {q.lesson for q in questions if q.lesson})
    return ReviewPage(seen, questions, lessons,
                      review_rules.effective(quiz.review, quiz.review_options))
