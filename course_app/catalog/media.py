"""Course images."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Course, Media


def course_media(course: Course, name: str) -> Media | None:
    return db.session.scalar(sa.select(Media).where(Media.course_id == course.id,
                                                    Media.name == name))
