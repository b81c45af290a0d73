"""Images uploaded by trainers: the type is decided by the file's content (PNG, JPEG or WebP;
never SVG, whose scripts a browser would run), the size is limited, alt text is required. Images
are kept in the Media table, so every app server can serve them, and exported with the course."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from sqlalchemy.orm import defer

from ..content.package import MAX_MEDIA_BYTES
from ..domain.errors import ServiceError
from ..domain.text import strip_marks
from ..extensions import db
from ..models import Course, Media

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_ALT = 300


def sniff(data: bytes) -> str | None:
    """The image type from the file's first bytes, or None when it is not PNG, JPEG or WebP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _stem(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", strip_marks(stem).lower()).strip("-")
    return slug[:80].strip("-") or "hinh"


def _free_name(course: Course, stem: str, extension: str, digest: str) -> tuple[str, Media | None]:
    taken = {m.name: m for m in db.session.scalars(
        sa.select(Media).where(Media.course_id == course.id, Media.name.like(f"{stem}%")))}
    for number in range(1, 1000):
        name = f"{stem}.{extension}" if number == 1 else f"{stem}-{number}.{extension}"
        existing = taken.get(name)
        if existing is None or existing.sha256 == digest:
            return name, existing
    raise ServiceError("too_many", "too many images share this name; rename the file")


def upload(course: Course, filename: str, data: bytes, alt: str) -> Media:
    """Store an uploaded image; the same image uploaded twice is stored once."""
    alt = " ".join(alt.split())
    if not alt:
        raise ServiceError("no_alt", "describe the image (alt text) for readers who cannot see it")
    if len(alt) > MAX_ALT:
        raise ServiceError("long_alt", f"the alt text is longer than {MAX_ALT} characters")
    if not data:
        raise ServiceError("no_file", "choose an image file")
    if len(data) > MAX_MEDIA_BYTES:
        raise ServiceError("too_large", f"the image is larger than {MAX_MEDIA_BYTES // 1024} KiB")
    content_type = sniff(data)
    if content_type is None:
        raise ServiceError("bad_type", "only PNG, JPEG and WebP images can be uploaded")
    digest = hashlib.sha256(data).hexdigest()
    name, existing = _free_name(course, _stem(filename), EXTENSIONS[content_type], digest)
    if existing is not None:
        existing.alt = existing.alt or alt
        return existing
    media = Media(course_id=course.id, name=name, content_type=content_type, sha256=digest,
                  data=data, alt=alt)
    db.session.add(media)
    db.session.flush()
    return media


def markdown_for(media: Media, alt: str | None = None) -> str:
    """The Markdown that shows the image in a lesson (escaped so the alt text stays text)."""
    text = (alt or media.alt or media.name).replace("[", "(").replace("]", ")")
    return f"![{text}](media/{media.name})"


def library(course: Course) -> list[Media]:
    """The course's images, without loading their bytes."""
    return list(db.session.scalars(
        sa.select(Media).where(Media.course_id == course.id).order_by(Media.name)
        .options(defer(Media.data))))


def media_names(course: Course) -> set[str]:
    return set(db.session.scalars(sa.select(Media.name).where(Media.course_id == course.id)))
