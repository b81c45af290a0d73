"""Publishing drafts: what is pending in a course, and making it what trainees see. Every publish
is checked like a package (`content check` on the course as it would be exported), so the
published course always exports to files that check and load cleanly; publishing is audited."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..catalog import history
from ..catalog.export import course_spec
from ..catalog.snapshots import Change, apply, diff, snapshot
from ..content.export import write_package
from ..content.package import read_package
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import ContentDraft, Course, Lesson, Module, Question, Quiz
from ..models.types import utcnow
from ..people import audit
from .service import claim, renumber_questions, renumber_quizzes

ORDER = ("course", "module", "lesson", "quiz", "question")


@dataclass
class Pending:
    """An item with unpublished content: new, or changed since its last publish."""

    kind: str
    row: Any
    status: str  # new | draft
    changes: list[Change] = field(default_factory=list)
    parent: Any = None  # the quiz of a question, the module of a lesson
    before: dict[str, Any] | None = None  # what trainees see now (None: new)
    after: dict[str, Any] = field(default_factory=dict)  # what they will see


class NotPublishable(ServiceError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("not_publishable", "the course would not pass the content check: "
                         + "; ".join(problems[:5]), problems=problems)
        self.problems = problems


def course_rows(course: Course) -> dict[str, dict[int, Any]]:
    """Every authored row of the course by kind and id, in five queries."""
    rows: dict[str, dict[int, Any]] = {"course": {course.id: course}}
    for kind, model in (("module", Module), ("lesson", Lesson), ("quiz", Quiz)):
        rows[kind] = {r.id: r for r in db.session.scalars(
            sa.select(model).where(model.course_id == course.id).order_by(model.position))}
    rows["question"] = {q.id: q for q in db.session.scalars(
        sa.select(Question).join(Quiz).where(Quiz.course_id == course.id)
        .order_by(Question.position))}
    return rows


def drafts_of(course: Course) -> dict[tuple[str, int], ContentDraft]:
    return {(d.kind, d.object_id): d for d in db.session.scalars(
        sa.select(ContentDraft).where(ContentDraft.course_id == course.id))}


def pending(course: Course, rows: dict[str, dict[int, Any]] | None = None) -> list[Pending]:
    """What would change for trainees if everything were published now."""
    rows = rows or course_rows(course)
    drafts = drafts_of(course)
    found = []
    for kind in ORDER:
        for row in rows[kind].values():
            draft = drafts.get((kind, row.id))
            new = history.is_new(kind, row)
            if draft is None and not new:
                continue
            after = draft.data if draft is not None else snapshot(kind, row)
            before = None if new else snapshot(kind, row)
            parent = rows["quiz"].get(row.quiz_id) if kind == "question" else \
                rows["module"].get(row.module_id) if kind == "lesson" else None
            found.append(Pending(kind, row, "new" if new else "draft", diff(before, after),
                                 parent, before, after))
    return found


def selected(course: Course, items: list[tuple[str, int]] | None,
             rows: dict[str, dict[int, Any]] | None = None) -> list[Pending]:
    """What publishing `items` (None: everything) would publish: the items, a quiz's new and
    changed questions, and the parents trainees have never seen."""
    rows = rows or course_rows(course)
    everything = pending(course, rows)
    if items is None:
        return everything
    wanted = set(items)
    for kind, object_id in list(wanted):  # a quiz goes with its questions
        if kind == "quiz":
            wanted |= {("question", p.row.id) for p in everything
                       if p.kind == "question" and p.row.quiz_id == object_id}
    wanted |= _new_parents(wanted, rows)
    return [p for p in everything if (p.kind, p.row.id) in wanted]


def _new_parents(wanted: set[tuple[str, int]], rows: dict[str, dict[int, Any]]) -> set:
    """Parents trainees have never seen must be published with their first child."""
    parents: set[tuple[str, int]] = set()
    for kind, object_id in wanted:
        row = rows[kind].get(object_id)
        if row is None:
            continue
        if kind == "question":
            parents.add(("quiz", row.quiz_id))
        if kind == "lesson":
            parents.add(("module", row.module_id))
        if kind == "quiz" and row.module_id:
            parents.add(("module", row.module_id))
        parents.add(("course", next(iter(rows["course"]))))
    return {(k, i) for k, i in parents if history.is_new(k, rows[k][i])}


def publish(course: Course, user_id: int | None,
            items: list[tuple[str, int]] | None = None) -> list[str]:
    """Publish every pending item (or the given ones, with their new parents); returns labels
    of what was published. Raises NotPublishable (nothing is kept: the caller rolls back)."""
    rows = course_rows(course)
    targets = [(p.kind, p.row) for p in selected(course, items, rows)]
    drafts = drafts_of(course)
    now = utcnow()
    for kind, row in targets:
        claim(kind, row, None)
        draft = drafts.get((kind, row.id))
        data = draft.data if draft is not None else snapshot(kind, row)
        apply(kind, row, data, course)
        if kind == "question":
            row.active = True
        else:
            row.archived = False
        row.published_at = row.published_at or now
        if draft is not None:
            db.session.delete(draft)
        history.record(course.id, kind, row.id, "publish", data, user_id)
    renumber_quizzes(course)
    for quiz_id in {row.quiz_id for kind, row in targets if kind == "question"}:
        renumber_questions(quiz_id)
    db.session.flush()
    check_or_refuse(course)
    labels = [label(kind, row, rows) for kind, row in targets]
    if labels:
        audit.record("content.publish", user_id, f"course:{course.slug}", items=labels[:200])
    return labels


def label(kind: str, row: Any, rows: dict[str, dict[int, Any]] | None = None) -> str:
    if kind == "question":
        quiz = (rows or {}).get("quiz", {}).get(row.quiz_id) or db.session.get(Quiz, row.quiz_id)
        return f"question:{quiz.slug}/{row.key}"
    return f"{kind}:{row.slug}"


def problems(course: Course) -> list[str]:
    """Errors `content check` would report on the course as it would be exported."""
    with tempfile.TemporaryDirectory(prefix="course-check-") as folder:
        write_package([course_spec(course)], Path(folder))
        _, found = read_package(Path(folder))
    return [str(problem) for problem in found if not problem.warning]


def check_or_refuse(course: Course) -> None:
    found = problems(course)
    if found:
        raise NotPublishable(found)
