"""Quiz attempts and the answers saved in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

ATTEMPT_STATUSES = ("in_progress", "needs_grading", "finished")


class Attempt(db.Model):
    __tablename__ = "attempt"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "quiz_id", "number", name="uq_attempt_number"),
        sa.CheckConstraint("number >= 1", name="ck_attempt_number"),
        sa.CheckConstraint("status IN ('in_progress', 'needs_grading', 'finished')",
                           name="ck_attempt_status"),
        # At most one open attempt per trainee and quiz, whatever races happen.
        sa.Index("uq_attempt_open", "user_id", "quiz_id", unique=True,
                 sqlite_where=sa.text("status = 'in_progress'"),
                 postgresql_where=sa.text("status = 'in_progress'")),
        # Progress pages and cohort reports read a trainee's grades from this index alone: the
        # rows themselves carry the question snapshot (~20 KB), which made those reads slow.
        sa.Index("ix_attempt_grades", "user_id", "quiz_id", "number", "status", "percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="in_progress")
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)  # snapshot, in shown order
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score_raw: Mapped[float | None]
    score_max: Mapped[float | None]
    percent: Mapped[float | None]
    # Moves with every save that changes an answer (quiz/answers.py: a page built on an older
    # revision never silently replaces answers saved since).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Moves with every change of the row (API sync, `updated_since`; migration 0021).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow, index=True)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_key", name="uq_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(sa.String(80))
    response: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fraction: Mapped[float | None]
    points: Mapped[float | None]
    needs_manual: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    grader_comment: Mapped[str | None] = mapped_column(sa.Text)
    # A rubric-graded essay, per criterion key: the level key the grader picked, or
    # {level, comment} when the grader commented on it (domain/rubrics.py reads both).
    rubric_scores: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, nullable=True)
    # Set when a trainer graded the answer by hand: automatic (re)grading keeps that grade.
    graded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
