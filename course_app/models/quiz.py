"""Quizzes and their questions. A question keeps a version number that grows whenever its
content changes; attempts keep a snapshot of the version they showed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .revision import Authored

GRADING_METHODS = ("highest", "last", "first", "average")
REVIEW_RULES = ("full", "score")


class Quiz(Authored, db.Model):
    __tablename__ = "quiz"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "slug", name="uq_quiz_course_slug"),
        sa.CheckConstraint("pass_score >= 0 AND pass_score <= 100", name="ck_quiz_pass_score"),
        sa.CheckConstraint("grading IN ('highest', 'last', 'first', 'average')",
                           name="ck_quiz_grading"),
        sa.CheckConstraint("review IN ('full', 'score')", name="ck_quiz_review"),
        sa.CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="ck_quiz_max"),
        sa.CheckConstraint("draw IS NULL OR draw >= 1", name="ck_quiz_draw"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("module.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    description: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    required: Mapped[bool] = mapped_column(default=True)
    pass_score: Mapped[float] = mapped_column(default=70.0)
    time_limit_minutes: Mapped[int | None]
    max_attempts: Mapped[int | None]
    grading: Mapped[str] = mapped_column(sa.String(16), default="highest")
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_choices: Mapped[bool] = mapped_column(default=False)
    draw: Mapped[int | None]
    review: Mapped[str] = mapped_column(sa.String(16), default="full")
    # What the trainee sees after an attempt and when (domain/review_options.py); NULL: the
    # shorthand in `review` says it.
    review_options: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, nullable=True)
    archived: Mapped[bool] = mapped_column(default=False)

    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Authored, db.Model):
    __tablename__ = "question"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "key", name="uq_question_quiz_key"),
        sa.CheckConstraint("points >= 0", name="ck_question_points"),
        sa.CheckConstraint("version >= 1", name="ck_question_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    points: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    type_data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    lesson: Mapped[str | None] = mapped_column(sa.String(100))  # the slug of the lesson it assesses

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
