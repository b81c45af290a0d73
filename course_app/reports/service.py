"""The cohort dashboard: every trainee's lessons, quiz grades, completion and certificate, read
with a fixed number of aggregate queries whatever the cohort's size, then assembled in Python
with the same domain rules the trainee's own pages use (scoring.quiz_grade, completion)."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from ..certificates.service import status_of
from ..domain.completion import CompletionStatus, QuizStatus, evaluate
from ..domain.names import sort_key
from ..domain.scoring import is_passed, quiz_grade
from ..domain.search import search
from ..domain.statistics import Bin, FunnelStage
from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    Quiz,
    User,
)
from ..progress.service import OUTLINE_ONLY, display_rule
from .figures import CohortFigures, Summary, UnitRow

STATES = ("not_started", "in_progress", "completed", "certified")
# A matrix row has a cell per lesson and quiz: 50 rows fill a screen several times over, and
# rendering them is most of the page's time.
PER_PAGE = 50


@dataclass(frozen=True)
class QuizCell:
    grade: float | None
    passed: bool
    attempts: int
    waiting: bool  # an attempt waits for a trainer to grade an essay


@dataclass(frozen=True)
class CertificateInfo:
    code: str
    status: str  # as stored; `state` is what it is now
    issued_at: datetime
    score: float | None
    expires_at: datetime | None = None

    @property
    def state(self) -> str:
        """valid | revoked | superseded | expired, as /verify says."""
        return status_of(self)


@dataclass(frozen=True)
class Person:
    """The trainee fields a report shows: read as plain rows, not ORM objects (a cohort report
    reads 500 of them and never changes them)."""
    id: int
    full_name: str
    email: str
    unit: str | None
    position: str | None


@dataclass
class TraineeRow:
    user: Person
    read: set[int]
    quizzes: dict[int, QuizCell]
    status: CompletionStatus
    certificate: CertificateInfo | None
    last_activity: datetime | None

    @property
    def started(self) -> bool:
        return bool(self.read) or any(c.attempts for c in self.quizzes.values())

    @property
    def certified(self) -> bool:
        return self.certificate is not None and self.certificate.state == "valid"

    @property
    def state(self) -> str:
        if self.certified:
            return "certified"
        if self.status.complete:
            return "completed"
        return "in_progress" if self.started else "not_started"


@dataclass
class CohortReport:
    cohort: Cohort
    lessons: list[Lesson]
    quizzes: list[Quiz]
    trainees: list[TraineeRow]
    summary: Summary = field(init=False)
    funnel: list[FunnelStage] = field(init=False)
    units: list[UnitRow] = field(init=False)
    distributions: list[tuple[Quiz, list[Bin], int]] = field(init=False)

    def __post_init__(self) -> None:
        figures = CohortFigures.of(self.trainees, [q.id for q in self.quizzes])
        self.summary, self.funnel, self.units = figures.summary, figures.funnel, figures.units
        self.distributions = [(quiz, *figures.bins[quiz.id]) for quiz in self.quizzes]

    @property
    def unit_names(self) -> list[str]:
        return [u.unit for u in self.units if u.unit]


def course_outline(cohort: Cohort) -> tuple[list[Lesson], list[Quiz]]:
    lessons = list(db.session.scalars(
        sa.select(Lesson).options(*OUTLINE_ONLY).join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id == cohort.course_id, Lesson.archived.is_(False),
               Module.archived.is_(False))
        .order_by(Module.position, Lesson.position)))
    quizzes = list(db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == cohort.course_id, Quiz.archived.is_(False))
        .order_by(Quiz.position, Quiz.id)))
    return lessons, quizzes


def _enrolled(cohort: Cohort) -> sa.Select:
    return sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)


def _reads(cohort: Cohort, lessons: list[Lesson]) -> dict[int, set[int]]:
    """The lessons each trainee has read: one row per trainee, the ids joined by commas (a
    cohort of 500 has thousands of reads, and each row costs more than its parsing)."""
    if not lessons:
        return {}
    rows = db.session.execute(
        sa.select(LessonProgress.user_id,
                  sa.func.aggregate_strings(sa.cast(LessonProgress.lesson_id, sa.String), ","))
        .where(LessonProgress.user_id.in_(_enrolled(cohort)),
               LessonProgress.lesson_id.in_([lesson.id for lesson in lessons]))
        .group_by(LessonProgress.user_id)).all()
    return {user_id: {int(i) for i in joined.split(",")} for user_id, joined in rows}


Results = list[tuple[str, float | None]]  # (status, percent) of each attempt, oldest first


def _attempts(cohort: Cohort, quizzes: list[Quiz]) -> dict[tuple[int, int], Results]:
    rows = db.session.execute(
        sa.select(Attempt.user_id, Attempt.quiz_id, Attempt.status, Attempt.percent)
        .where(Attempt.user_id.in_(_enrolled(cohort)),
               Attempt.quiz_id.in_([q.id for q in quizzes]))
        .order_by(Attempt.user_id, Attempt.quiz_id, Attempt.number)
    ).all() if quizzes else []
    grouped: dict[tuple[int, int], Results] = defaultdict(list)
    for user_id, quiz_id, status, percent in rows:
        grouped[(user_id, quiz_id)].append((status, percent))
    return grouped


def certificates_by_user(cohort: Cohort) -> dict[int, CertificateInfo]:
    """Each trainee's current certificate of the course (the valid one, else the newest)."""
    rows = db.session.execute(
        sa.select(Certificate.user_id, Certificate.code, Certificate.status,
                  Certificate.issued_at, Certificate.score, Certificate.expires_at)
        .where(Certificate.course_id == cohort.course_id,
               Certificate.user_id.in_(_enrolled(cohort)))
        .order_by(Certificate.issued_at)).all()
    found: dict[int, CertificateInfo] = {}
    for row in rows:
        current = found.get(row.user_id)
        if current is None or current.status != "valid":
            found[row.user_id] = CertificateInfo(row.code, row.status, row.issued_at, row.score,
                                                 row.expires_at)
    return found


@dataclass(frozen=True)
class _QuizRule:
    id: int
    grading: str
    pass_score: float
    required: bool
    slug: str


NOT_TAKEN = QuizCell(None, False, 0, False)


def _quiz_cell(rule: _QuizRule, results: Results) -> QuizCell:
    if not results:  # most cells of a cohort early in its course
        return NOT_TAKEN
    finished = [p for status, p in results if status == "finished" and p is not None]
    grade = quiz_grade(rule.grading, finished)
    waiting = any(status == "needs_grading" for status, _ in results)
    return QuizCell(grade, is_passed(grade, rule.pass_score), len(results), waiting)


def _last_activity(cohort: Cohort) -> dict[int, datetime]:
    """Each trainee's latest lesson read or quiz attempt (the newest attempt's submission or
    start). Only the newest attempt of each trainee is read: on SQLite every attempt row
    carries its question snapshot, so reading all of them would be slow."""
    enrolled = _enrolled(cohort)
    newest = (sa.select(sa.func.max(Attempt.id)).where(Attempt.user_id.in_(enrolled))
              .group_by(Attempt.user_id))
    latest: dict[int, datetime] = {}
    for query in (
        sa.select(LessonProgress.user_id, sa.func.max(LessonProgress.read_at))
        .where(LessonProgress.user_id.in_(enrolled)).group_by(LessonProgress.user_id),
        sa.select(Attempt.user_id, sa.func.coalesce(Attempt.submitted_at, Attempt.started_at))
        .where(Attempt.id.in_(newest)),
    ):
        for user_id, moment in db.session.execute(query).all():
            if moment is not None and (user_id not in latest or moment > latest[user_id]):
                latest[user_id] = moment
    return latest


def trainees_of(cohort: Cohort) -> list[Person]:
    """The cohort's trainees in id order (sort with in_list_order)."""
    rows = db.session.execute(
        sa.select(User.id, User.full_name, User.email, User.unit, User.position)
        .where(User.id.in_(_enrolled(cohort))).order_by(User.id))
    return [Person(*row) for row in rows]


def in_list_order(people: list[Person]) -> list[Person]:
    """Vietnamese list order (domain/names.py): by given name (the last word), then the rest,
    "Dũng" before "Đức"; then email."""
    return sorted(people, key=lambda u: (sort_key(u.full_name), u.email))


def cohort_report(cohort: Cohort, with_activity: bool = False) -> CohortReport:
    """The whole cohort, read afresh on every call; `with_activity` adds each trainee's last
    activity (two more queries)."""
    lessons, quizzes = course_outline(cohort)
    users = trainees_of(cohort)
    latest = _last_activity(cohort) if with_activity else {}
    return CohortReport(cohort, lessons, quizzes, _rows(cohort, lessons, quizzes, users, latest))


def _rows(cohort: Cohort, lessons: list[Lesson], quizzes: list[Quiz], people: list[Person],
          latest: dict[int, datetime]) -> list[TraineeRow]:
    users = in_list_order(people)
    reads, attempts = _reads(cohort, lessons), _attempts(cohort, quizzes)
    certificates = certificates_by_user(cohort)
    rule = display_rule(cohort.course)
    lesson_ids = [lesson.id for lesson in lessons]
    rules = [_QuizRule(q.id, q.grading, q.pass_score, q.required, q.slug) for q in quizzes]
    @functools.cache  # most cells repeat a few (quiz, grade) pairs: one QuizStatus per pair
    def quiz_status(r: _QuizRule, grade: float | None) -> QuizStatus:
        return QuizStatus(r.id, r.required, r.pass_score, grade, r.slug)

    rows = []
    for user in users:
        user_id = user.id
        cells = {r.id: _quiz_cell(r, attempts.get((user_id, r.id), [])) for r in rules}
        read = reads.get(user_id, set())
        status = evaluate(rule, lesson_ids, read,
                          [quiz_status(r, cells[r.id].grade) for r in rules])
        rows.append(TraineeRow(user, read, cells, status, certificates.get(user_id),
                               latest.get(user_id)))
    return rows


def filter_trainees(rows: list[TraineeRow], unit: str | None, state: str | None,
                    query: str | None) -> list[TraineeRow]:
    """Trainees of one unit, in one state, whose name or email matches (accents ignored)."""
    chosen = [r for r in rows if (not unit or r.user.unit == unit)
              and (state not in STATES or r.state == state)]
    return search(chosen, query, lambda r: r.user.full_name, lambda r: r.user.email)


@dataclass(frozen=True)
class Page:
    items: list[TraineeRow]
    number: int
    pages: int
    total: int


def paginate(rows: list[TraineeRow], number: int, per_page: int = PER_PAGE) -> Page:
    pages = max(1, math.ceil(len(rows) / per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(rows[start:start + per_page], number, pages, len(rows))
