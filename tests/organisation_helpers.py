"""Organisations for tests: images made by Pillow, an organisation made through the service."""

from __future__ import annotations

import io
from typing import Any

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Cohort, Organisation, User
from course_app.organisations import service


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 60),
                colour: tuple[int, int, int] = (180, 28, 36)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def make_organisation(slug: str = "so-noi-vu", name_vi: str = "Sở Nội vụ Hải Phòng",
                      name_en: str = "Hai Phong Department of Home Affairs",
                      offers: tuple[str, ...] = ("demo",),
                      images: dict[str, bytes] | None = None, **extra: Any) -> Organisation:
    with writing():
        made = service.create(service.OrganisationData(
            slug, name_vi, name_en, extra.get("signatory_name", "Trần Văn Bình"),
            extra.get("signatory_title", "Giám đốc"), list(offers)), None)
        if images:
            service.set_images(made, images, None)
        db.session.commit()
    return made


def place(cohort: Cohort, organisation: Organisation | None) -> None:
    """Give the cohort an organisation (the cohort pages belong to another helper)."""
    with writing():
        db.session.get(Cohort, cohort.id).organisation_id = organisation.id if organisation \
            else None
        db.session.commit()


def join(user: User, organisation: Organisation) -> User:
    with writing():
        found = db.session.get(User, user.id)
        found.organisation_id = organisation.id
        db.session.commit()
    return found
