"""Each listed trainee's progress in their cohort's course, for one page at a time: four
grouped queries whatever the page holds (no query per trainee)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Attempt, Lesson, LessonProgress, Quiz


def progress_of(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Any]]:
    """{(user id, course id): progress} for the given pairs."""
    users = {user for user, _ in pairs}
    course_ids = {course for _, course in pairs}
    if not pairs:
        return {}
    lessons = dict(db.session.execute(
        sa.select(Lesson.course_id, sa.func.count(Lesson.id))
        .where(Lesson.course_id.in_(course_ids), Lesson.archived.is_(False))
        .group_by(Lesson.course_id)).all())
    quizzes: dict[int, dict[int, float]] = defaultdict(dict)
    for quiz_id, course_id, pass_score in db.session.execute(
            sa.select(Quiz.id, Quiz.course_id, Quiz.pass_score)
            .where(Quiz.course_id.in_(course_ids), Quiz.archived.is_(False),
                   Quiz.required.is_(True))):
        quizzes[course_id][quiz_id] = pass_score
    read: dict[tuple[int, int], tuple[int, datetime | None]] = {}
    for user_id, course_id, count, last in db.session.execute(
            sa.select(LessonProgress.user_id, Lesson.course_id, sa.func.count(),
                      sa.func.max(LessonProgress.read_at))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.user_id.in_(users), Lesson.course_id.in_(course_ids),
                   Lesson.archived.is_(False))
            .group_by(LessonProgress.user_id, Lesson.course_id)):
        read[(user_id, course_id)] = (count, last)
    best: dict[tuple[int, int], float] = {}
    last_attempt: dict[tuple[int, int], datetime] = {}
    for user_id, quiz_id, course_id, percent, changed in db.session.execute(
            sa.select(Attempt.user_id, Attempt.quiz_id, Quiz.course_id,
                      sa.func.max(sa.case((Attempt.status == "finished", Attempt.percent))),
                      sa.func.max(Attempt.updated_at))
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Attempt.user_id.in_(users), Quiz.course_id.in_(course_ids))
            .group_by(Attempt.user_id, Attempt.quiz_id, Quiz.course_id)):
        if percent is not None:
            best[(user_id, quiz_id)] = percent
        key = (user_id, course_id)
        if changed is not None and (key not in last_attempt or changed > last_attempt[key]):
            last_attempt[key] = changed
    result: dict[tuple[int, int], dict[str, Any]] = {}
    for user_id, course_id in pairs:
        count, last_read = read.get((user_id, course_id), (0, None))
        total = int(lessons.get(course_id, 0))
        required = quizzes.get(course_id, {})
        passed = sum(1 for quiz_id, pass_score in required.items()
                     if best.get((user_id, quiz_id), -1) >= pass_score)
        times = [t for t in (last_read, last_attempt.get((user_id, course_id))) if t]
        result[(user_id, course_id)] = {
            "lessons_read": int(count), "lessons_total": total,
            "percent": round(100 * count / total, 1) if total else 0.0,
            "quizzes_passed": passed, "quizzes_total": len(required),
            "last_activity_at": max(times) if times else None,
        }
    return result
