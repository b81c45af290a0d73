"""Courses, their modules, lessons and media, and cohorts that deliver them. Authored rows hold
the published content; drafts and history live in models/revision.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .revision import Authored
from .types import UTCDateTime, utcnow


class Course(Authored, db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    description: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    audience: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    estimated_hours: Mapped[float | None]
    completion: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    certificate: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    archived: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )


class Module(Authored, db.Model):
    __tablename__ = "module"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug", name="uq_module_course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int]
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    archived: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )


class Lesson(Authored, db.Model):
    __tablename__ = "lesson"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug", name="uq_lesson_course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("module.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int]
    title: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    objectives: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    body: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # Markdown source per locale
    html: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # sanitised render per locale
    minutes: Mapped[int] = mapped_column(default=1)
    archived: Mapped[bool] = mapped_column(default=False)

    module: Mapped[Module] = relationship(back_populates="lessons")


class Media(db.Model):
    """An image of a course package, kept in the database so every app server can serve it."""

    __tablename__ = "media"
    __table_args__ = (sa.UniqueConstraint("course_id", "name", name="uq_media_course_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    alt: Mapped[str | None] = mapped_column(sa.String(300))  # given at upload; files have none


cohort_trainer = sa.Table(
    "cohort_trainer",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    __tablename__ = "cohort"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                           name="ck_cohort_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="RESTRICT"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # NULL: the course file's issuer (a fresh install); otherwise the organisation that runs it.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"))
    archived: Mapped[bool] = mapped_column(default=False)
    # Moves with every change of the row (API sync, `updated_since`; migration 0021).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow)

    course: Mapped[Course] = relationship()
    organisation: Mapped[Any] = relationship("Organisation")
    trainers: Mapped[list[Any]] = relationship("User", secondary=cohort_trainer)


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id", name="uq_enrolment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship()


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
