"""What a trainee has done in a course: lessons read, quiz grades, completion and next step.
Every function runs a fixed number of queries whatever the size of the course."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import defer

from .. import database, xapi
from ..domain.completion import CompletionRule, CompletionStatus, QuizStatus, evaluate
from ..domain.errors import NotFound
from ..domain.scoring import is_passed, quiz_grade
from ..extensions import db
from ..models import Attempt, Cohort, Course, Enrolment, Lesson, LessonProgress, Module, Quiz, User
from ..models.certificate import Certificate
from . import outline_cache
from .content_generation import GENERATION
from .outline_cache import LessonContent, OutlineCourse, OutlineLesson, OutlineModule, OutlineQuiz

# A quiz as progress sees it: the cached outline's row, or the ORM object (the quiz intro page).
AnyQuiz = Quiz | OutlineQuiz
# A course likewise: the cached row on the trainee's course and lesson pages, the ORM object
# elsewhere (same attribute names).
AnyCourse = Course | OutlineCourse

# Outlines and neighbours show titles only: loading every lesson's Markdown and HTML in both
# languages (and decoding their JSON) was most of a lesson page's time.
OUTLINE_ONLY = (defer(Lesson.body), defer(Lesson.html), defer(Lesson.objectives))


@dataclass
class QuizProgress:
    quiz: AnyQuiz
    grade: float | None
    passed: bool
    attempts_used: int
    open_attempt_id: int | None
    waiting: bool = False  # an attempt waits for a trainer to grade an essay


@dataclass
class ModuleProgress:
    module: OutlineModule
    lessons: list[tuple[OutlineLesson, bool]] = field(default_factory=list)
    quizzes: list[QuizProgress] = field(default_factory=list)


@dataclass
class CourseProgress:
    course: AnyCourse
    modules: list[ModuleProgress]
    course_quizzes: list[QuizProgress]  # quizzes outside any module, such as the final exam
    status: CompletionStatus
    next_lesson: OutlineLesson | None
    next_quiz: AnyQuiz | None
    # The content generation the outline was read at, which keys the outline's kept HTML
    # (learn/widgets.py) and the lesson page (lesson_page); None when it is not known.
    generation: int | None = None
    # The trainee's valid certificate of the course (course_page only): content published after
    # it never withdraws it, and progress/since_certificate.py lists what was added.
    certificate_id: int | None = None

    @property
    def all_quizzes(self) -> list[QuizProgress]:
        return [q for m in self.modules for q in m.quizzes] + self.course_quizzes


def is_enrolled(user: User, course_id: int) -> bool:
    query = sa.select(Enrolment.id).join(Cohort).where(
        Enrolment.user_id == user.id, Cohort.course_id == course_id).limit(1)
    return db.session.scalar(query) is not None


def enrolled_courses(user: User) -> list[Course]:
    enrolled = (sa.select(Cohort.course_id).join(Enrolment, Enrolment.cohort_id == Cohort.id)
                .where(Enrolment.user_id == user.id))
    query = (sa.select(Course).where(Course.id.in_(enrolled), Course.archived.is_(False))
             .order_by(Course.id))
    return list(db.session.scalars(query))


# The statements of the pages every trainee opens are built once, not per call: composing a
# statement took about as long as running it on SQLite.
_ENROLLED = sa.select(Enrolment.id).join(Cohort).where(
    Enrolment.user_id == sa.bindparam("user"), Cohort.course_id == Course.id).exists()
_COURSE_FOR = sa.select(Course, _ENROLLED).where(Course.slug == sa.bindparam("slug"),
                                                 Course.archived.is_(False))
_ATTEMPTS = (sa.select(Attempt.quiz_id, Attempt.id, Attempt.status, Attempt.percent)
             .where(Attempt.user_id == sa.bindparam("user"),
                    Attempt.quiz_id.in_(sa.bindparam("quizzes", expanding=True)))
             .order_by(Attempt.quiz_id, Attempt.number))


def course_for(user: User, slug: str) -> Course:
    """The course when the user may study it (enrolled trainees, and trainers and admins)."""
    found = db.session.execute(_COURSE_FOR, {"user": user.id, "slug": slug}).first()
    if found is None or not (user.is_trainer or found[1]):
        raise NotFound("course")
    return found[0]


class AttemptRow(NamedTuple):
    quiz_id: int
    id: int
    status: str
    percent: float | None


def quiz_statuses(user: User, quizzes: list[AnyQuiz]) -> dict[int, QuizProgress]:
    ids = [q.id for q in quizzes]
    rows = database.rows(_ATTEMPTS, {"user": user.id, "quizzes": ids}).all() if ids else []
    return _statuses(quizzes, [AttemptRow(*row) for row in rows])


def _statuses(quizzes: list[AnyQuiz], rows: list[AttemptRow]) -> dict[int, QuizProgress]:
    """Each quiz's grade and attempts, from the user's attempts in order of their number."""
    result = {}
    for quiz in quizzes:
        mine = [r for r in rows if r.quiz_id == quiz.id]
        finished = [r.percent for r in mine if r.status == "finished" and r.percent is not None]
        grade = quiz_grade(quiz.grading, finished)
        open_id = next((r.id for r in mine if r.status == "in_progress"), None)
        waiting = any(r.status == "needs_grading" for r in mine)
        result[quiz.id] = QuizProgress(quiz, grade, is_passed(grade, quiz.pass_score), len(mine),
                                       open_id, waiting)
    return result


_READ = (sa.select(LessonProgress.lesson_id).join(Lesson)
         .where(LessonProgress.user_id == sa.bindparam("user"),
                Lesson.course_id == sa.bindparam("course")))


_UNKNOWN = -1  # generation not read yet


def course_progress(user: User, course: Course, generation: int | None = _UNKNOWN
                    ) -> CourseProgress:
    """`generation`: the content generation when the caller has read it already."""
    if generation == _UNKNOWN:
        generation = outline_cache.current_generation()
    outline = outline_cache.outline(course.id, generation)
    quizzes = list(outline.quizzes)
    read = {row[0] for row in database.rows(_READ, {"user": user.id, "course": course.id})}
    statuses = quiz_statuses(user, quizzes)
    return _assemble(course, list(outline.modules), quizzes, read, statuses, generation)


_OPEN_COURSE = (sa.select(Course.id)
                .where(Course.slug == sa.bindparam("slug"), Course.archived.is_(False))
                .scalar_subquery())
# Everything per trainee that the course and lesson pages need, in one query (each query is a
# round trip to PostgreSQL): "c", the course's id, the content generation and whether the user
# is enrolled; "l", each lesson the user has read; "a", each of the user's attempts at the
# course's quizzes; "z", the user's valid certificate of the course. The outline and the
# course row then come from outline_cache.
_PAGE = sa.union_all(
    sa.select(sa.literal("c").label("kind"), Course.id.label("first"), GENERATION.label("second"),
              sa.case((_ENROLLED, 1), else_=0).label("third"),
              sa.cast(sa.null(), sa.String).label("status"),
              sa.cast(sa.null(), sa.Float).label("percent"))
    .where(Course.slug == sa.bindparam("slug"), Course.archived.is_(False)),
    sa.select(sa.literal("l"), LessonProgress.lesson_id, sa.cast(sa.null(), sa.Integer),
              sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String),
              sa.cast(sa.null(), sa.Float))
    .join(Lesson).where(LessonProgress.user_id == sa.bindparam("user"),
                        Lesson.course_id == _OPEN_COURSE),
    sa.select(sa.literal("a"), Attempt.quiz_id, Attempt.id, Attempt.number, Attempt.status,
              Attempt.percent)
    .join(Quiz).where(Attempt.user_id == sa.bindparam("user"), Quiz.course_id == _OPEN_COURSE),
    sa.select(sa.literal("z"), Certificate.id, sa.cast(sa.null(), sa.Integer),
              sa.cast(sa.null(), sa.Integer), Certificate.status, sa.cast(sa.null(), sa.Float))
    .where(Certificate.user_id == sa.bindparam("user"), Certificate.course_id == _OPEN_COURSE,
           Certificate.status == "valid"),
)


def course_page(user: User, slug: str) -> CourseProgress:
    """The user's progress in the course `slug` when they may study it (enrolled trainees, and
    trainers and admins): one query, the rest from outline_cache."""
    rows = database.rows(_PAGE, {"user": user.id, "slug": slug}).all()
    head = next((row for row in rows if row[0] == "c"), None)
    if head is None or not (user.is_trainer or head[3]):
        raise NotFound("course")
    course_id, generation = head[1], head[2]
    course = outline_cache.course(course_id, generation)
    if course is None:  # archived or deleted since the query: as if it were not there
        raise NotFound("course")
    outline = outline_cache.outline(course_id, generation)
    read = {row[1] for row in rows if row[0] == "l"}
    attempts = sorted((row for row in rows if row[0] == "a"), key=lambda row: (row[1], row[3]))
    quizzes = list(outline.quizzes)
    statuses = _statuses(quizzes, [AttemptRow(r[1], r[2], r[4], r[5]) for r in attempts])
    page = _assemble(course, list(outline.modules), quizzes, read, statuses, generation)
    page.certificate_id = next((row[1] for row in rows if row[0] == "z"), None)
    return page


def course_rule(course: AnyCourse) -> CompletionRule | None:
    """The completion rule of course.yaml, or None when the stored one is invalid (which
    `content check` refuses)."""
    try:
        return CompletionRule.from_mapping(course.completion)
    except (TypeError, ValueError):
        return None


def display_rule(course: AnyCourse) -> CompletionRule:
    """The course's rule for progress bars: study hours are left to the certificate check
    (certificates.completion_status), which is the only place that needs the extra query."""
    rule = course_rule(course)
    return CompletionRule() if rule is None else replace(rule, min_hours=None)


def _assemble(course: AnyCourse, modules: list[OutlineModule], quizzes: list[OutlineQuiz],
              read: set[int], statuses: dict[int, QuizProgress],
              generation: int | None) -> CourseProgress:
    module_rows = []
    for module in modules:
        lessons = [(lesson, lesson.id in read) for lesson in module.lessons]
        mine = [statuses[q.id] for q in quizzes if q.module_id == module.id]
        module_rows.append(ModuleProgress(module, lessons, mine))
    module_ids = {m.id for m in modules}
    loose = [statuses[q.id] for q in quizzes if q.module_id not in module_ids]
    all_lessons = [lesson for m in module_rows for lesson, _ in m.lessons]
    status = evaluate(
        display_rule(course), [lesson.id for lesson in all_lessons], read,
        [QuizStatus(q.quiz.id, q.quiz.required, q.quiz.pass_score, q.grade, q.quiz.slug)
         for q in statuses.values()],
    )
    next_lesson = next((lesson for lesson in all_lessons if lesson.id not in read), None)
    ordered = [q for m in module_rows for q in m.quizzes] + loose
    next_quiz = next((q.quiz for q in ordered
                      if q.quiz.required and not q.passed and not q.waiting), None)
    return CourseProgress(course, module_rows, loose, status, next_lesson, next_quiz, generation)


def mark_read(user: User, lesson: Lesson) -> bool:
    """Record that the user read the lesson; False when it was already recorded."""
    exists = db.session.get(LessonProgress, (user.id, lesson.id))
    if exists is not None:
        return False
    db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
    db.session.flush()
    xapi.lesson_read(user.id, lesson.id)
    return True


_LESSON = sa.select(Lesson).where(Lesson.course_id == sa.bindparam("course"),
                                  Lesson.slug == sa.bindparam("slug"), Lesson.archived.is_(False))
_LESSON_ORDER = (sa.select(Lesson.id).join(Module)
                 .where(Lesson.course_id == sa.bindparam("course"), Lesson.archived.is_(False),
                        Module.archived.is_(False))
                 .order_by(Module.position, Lesson.position))


def lesson_in_course(course: Course, slug: str) -> Lesson:
    lesson = db.session.scalar(_LESSON, {"course": course.id, "slug": slug})
    if lesson is None:
        raise NotFound("lesson")
    return lesson


def lesson_page(course: AnyCourse, slug: str, generation: int | None) -> LessonContent:
    """What the lesson page shows of a published lesson (kept per content generation)."""
    lesson = outline_cache.lesson(course.id, slug, generation)
    if lesson is None:
        raise NotFound("lesson")
    return lesson


def neighbours_in(outline: CourseProgress, lesson: OutlineLesson
                  ) -> tuple[OutlineLesson | None, OutlineLesson | None]:
    """The lessons before and after `lesson` in an outline already loaded (no query)."""
    ordered = [item for m in outline.modules for item, _ in m.lessons]
    ids = [item.id for item in ordered]
    if lesson.id not in ids:
        return None, None
    index = ids.index(lesson.id)
    return (ordered[index - 1] if index > 0 else None,
            ordered[index + 1] if index + 1 < len(ordered) else None)


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    # Ids only: the pages that ask have loaded the course's lessons already (session.get finds
    # them without a query).
    ordered = list(db.session.scalars(_LESSON_ORDER, {"course": course.id}))
    if lesson.id not in ordered:
        return None, None
    index = ordered.index(lesson.id)

    def lesson_at(position: int) -> Lesson | None:
        if not 0 <= position < len(ordered):
            return None
        return db.session.get(Lesson, ordered[position], options=OUTLINE_ONLY)

    return lesson_at(index - 1), lesson_at(index + 1)
