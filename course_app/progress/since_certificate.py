"""What was added to a course after a trainee's certificate was issued. A certificate, once
issued, stays valid when a lesson or a required quiz is published later (domain/certification.py);
the trainee's course page lists the additions, so that they can study them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Lesson, Module, Quiz
from ..models.certificate import Certificate


@dataclass(frozen=True)
class Added:
    kind: str  # lesson | quiz
    slug: str
    title: dict[str, Any]
    done: bool


@dataclass(frozen=True)
class SinceCertificate:
    issued_at: datetime
    added: list[Added] = field(default_factory=list)


def added_since(certificate_id: int, read: set[int], passed: set[int]) -> SinceCertificate | None:
    """Lessons and required quizzes published after the certificate, in course order; `read`
    and `passed`: ids of the lessons read and the quizzes passed (from the progress)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return None
    after = certificate.issued_at
    lessons = db.session.execute(
        sa.select(Lesson.id, Lesson.slug, Lesson.title).join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id == certificate.course_id, Lesson.archived.is_(False),
               Module.archived.is_(False), Lesson.published_at > after)
        .order_by(Module.position, Lesson.position))
    quizzes = db.session.execute(
        sa.select(Quiz.id, Quiz.slug, Quiz.title)
        .where(Quiz.course_id == certificate.course_id, Quiz.archived.is_(False),
               Quiz.required.is_(True), Quiz.published_at > after).order_by(Quiz.position))
    added = [Added("lesson", slug, title, id_ in read) for id_, slug, title in lessons]
    added += [Added("quiz", slug, title, id_ in passed) for id_, slug, title in quizzes]
    return SinceCertificate(after, added)
