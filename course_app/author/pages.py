"""What the authoring pages show, built in a fixed number of queries whatever the course size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..catalog import history
from ..catalog.snapshots import Change, diff
from ..domain import quiz_rules
from ..extensions import db
from ..models import (
    Attempt,
    ContentDraft,
    ContentRevision,
    Course,
    Lesson,
    LessonProgress,
    Module,
    Question,
    Quiz,
    User,
)
from .publish import course_rows, drafts_of


@dataclass
class Item:
    kind: str
    row: Any
    status: str
    data: dict[str, Any]  # what the editor shows: the draft, or the published content
    used: int = 0  # trainees who read it, or attempts


@dataclass
class ModuleOutline:
    module: Item
    lessons: list[Item] = field(default_factory=list)
    quizzes: list[Item] = field(default_factory=list)


@dataclass
class Outline:
    course: Item
    modules: list[ModuleOutline]
    loose_quizzes: list[Item]  # final exams: quizzes outside any module
    questions: dict[int, list[Item]]  # by quiz id
    pending: int


def _counts(query: Any) -> dict[int, int]:
    return {key: count for key, count in db.session.execute(query)}


def outline(course: Course) -> Outline:
    rows = course_rows(course)
    drafts = drafts_of(course)
    read = _counts(sa.select(LessonProgress.lesson_id, sa.func.count())
                   .join(Lesson, Lesson.id == LessonProgress.lesson_id)
                   .where(Lesson.course_id == course.id).group_by(LessonProgress.lesson_id))
    tried = _counts(sa.select(Attempt.quiz_id, sa.func.count(Attempt.id))
                    .join(Quiz, Quiz.id == Attempt.quiz_id)
                    .where(Quiz.course_id == course.id).group_by(Attempt.quiz_id))

    def item(kind: str, row: Any, used: int = 0) -> Item:
        draft = drafts.get((kind, row.id))
        data = draft.data if draft is not None else history.snapshot(kind, row)
        return Item(kind, row, history.status(kind, row, draft is not None), data, used)

    modules = [ModuleOutline(item("module", m)) for m in rows["module"].values()]
    by_id = {m.module.row.id: m for m in modules}
    for lesson in rows["lesson"].values():
        by_id[lesson.module_id].lessons.append(item("lesson", lesson, read.get(lesson.id, 0)))
    loose = []
    for quiz in sorted(rows["quiz"].values(), key=lambda q: q.position):
        entry = item("quiz", quiz, tried.get(quiz.id, 0))
        (by_id[quiz.module_id].quizzes if quiz.module_id in by_id else loose).append(entry)
    questions: dict[int, list[Item]] = {quiz_id: [] for quiz_id in rows["quiz"]}
    for question in rows["question"].values():
        questions[question.quiz_id].append(item("question", question))
    pending = sum(1 for kind in rows for row in rows[kind].values()
                  if (kind, row.id) in drafts or history.is_new(kind, row))
    return Outline(item("course", course), modules, loose, questions, pending)


@dataclass
class HistoryEntry:
    revision: ContentRevision
    author: str | None
    changes: list[Change]


def history_entries(kind: str, object_id: int) -> list[HistoryEntry]:
    """Revisions newest first, each with what it changed from the one before."""
    rows = history.history(kind, object_id)
    entries = []
    for index, row in enumerate(rows):
        before = rows[index + 1].revision.data if index + 1 < len(rows) else None
        entries.append(HistoryEntry(row.revision, row.author, diff(before, row.revision.data)))
    return entries


def last_saved(kind: str, object_id: int) -> tuple[ContentRevision, str | None] | None:
    row = db.session.execute(
        sa.select(ContentRevision, User.full_name)
        .outerjoin(User, User.id == ContentRevision.author_id)
        .where(ContentRevision.kind == kind, ContentRevision.object_id == object_id)
        .order_by(ContentRevision.number.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def module_options(course: Course) -> list[Module]:
    return list(db.session.scalars(sa.select(Module).where(Module.course_id == course.id)
                                   .order_by(Module.position)))


def _shown_questions(quiz: Quiz) -> list[tuple[str, dict[str, Any] | None]]:
    """(type, type_data) of each question of the quiz that trainees see or will see, drafts
    included."""
    questions = list(db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz.id)))
    drafts = {d.object_id: d.data for d in db.session.scalars(sa.select(ContentDraft).where(
        ContentDraft.kind == "question", ContentDraft.object_id.in_([q.id for q in questions])))}
    return [(drafts.get(q.id, {}).get("type", q.type),
             drafts.get(q.id, {}).get("type_data", q.type_data))
            for q in questions if q.active or history.is_new("question", q)]


def quiz_has_essay(quiz: Quiz) -> bool:
    """Whether any question of the quiz that trainees see or will see is graded by hand, so
    that it may not be required (a capstone, every question an essay with a rubric grid,
    excepted: domain/quiz_rules.py)."""
    shown = _shown_questions(quiz)
    return not quiz_rules.may_be_required((kind for kind, _ in shown),
                                          quiz_rules.is_capstone(shown))


def may_add_to(quiz: Quiz, required: bool, kind: str, type_data: dict[str, Any] | None) -> bool:
    """May this new question join the quiz? A required quiz holds essays only as a capstone:
    every question, the new one too, an essay with a rubric grid (so neither an essay without
    a grid nor a choice question joins a capstone)."""
    if not required:
        return True
    after = [*_shown_questions(quiz), (kind, type_data)]
    return quiz_rules.may_be_required((k for k, _ in after), quiz_rules.is_capstone(after))
