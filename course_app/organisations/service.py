"""Organisations: creating and editing them (names, signatory, the courses they offer, logo,
signature and seal images), archiving, and reading them within an administrator's reach
(domain/reach.py). The web pages and `flask organisations` call the same functions; every
change is audited; services flush, never commit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import defer, selectinload

from ..domain import reach
from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Course, IssuerImage, Organisation, OrganisationImage, User
from ..models.organisation import IMAGE_KINDS
from ..models.types import utcnow
from ..people import audit
from .images import checked_image

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
MAX_NAME = 300
MAX_SIGNATORY = 200


@dataclass
class OrganisationData:
    """What a form or a command line gives; text is trimmed and checked by `_clean`."""

    slug: str
    name_vi: str
    name_en: str
    signatory_name: str = ""
    signatory_title: str = ""
    course_slugs: list[str] = field(default_factory=list)


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean(data: OrganisationData) -> OrganisationData:
    """The data trimmed, or ServiceError with the `field` that is wrong."""
    clean = OrganisationData(
        slug=(data.slug or "").strip().lower(), name_vi=_text(data.name_vi),
        name_en=_text(data.name_en), signatory_name=_text(data.signatory_name),
        signatory_title=_text(data.signatory_title),
        course_slugs=sorted({s.strip() for s in data.course_slugs if s.strip()}))
    if not SLUG.match(clean.slug):
        raise ServiceError("bad_slug", "the slug takes lower-case letters, digits and hyphens "
                           "(at most 100)", field="slug")
    for name in ("name_vi", "name_en"):
        if not getattr(clean, name):
            raise ServiceError("name_required", f"{name} is required", field=name)
        if len(getattr(clean, name)) > MAX_NAME:
            raise ServiceError("too_long", f"{name} is longer than {MAX_NAME} characters",
                               field=name)
    for name in ("signatory_name", "signatory_title"):
        if len(getattr(clean, name)) > MAX_SIGNATORY:
            raise ServiceError("too_long", f"{name} is longer than {MAX_SIGNATORY} characters",
                               field=name)
    return clean


def _courses(slugs: list[str]) -> list[Course]:
    found = list(db.session.scalars(sa.select(Course).where(Course.slug.in_(slugs)))) \
        if slugs else []
    unknown = sorted(set(slugs) - {c.slug for c in found})
    if unknown:
        raise ServiceError("unknown_course", f"no course {', '.join(unknown)}", field="courses")
    return sorted(found, key=lambda c: c.slug)


def _slug_free(slug: str, own_id: int | None = None) -> None:
    taken = db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug))
    if taken is not None and taken != own_id:
        raise ServiceError("slug_taken", f"the slug {slug} is in use", field="slug")


def _snapshot(organisation: Organisation) -> dict[str, object]:
    return {"slug": organisation.slug, "name": organisation.name,
            "signatory_name": organisation.signatory_name,
            "signatory_title": organisation.signatory_title,
            "courses": sorted(c.slug for c in organisation.courses)}


def create(data: OrganisationData, actor: User | None) -> Organisation:
    """A new organisation; `actor` None is an operator at the command line. Only a site
    administrator (an admin of no organisation) creates organisations."""
    if actor is not None and actor.organisation_id is not None:
        raise NotFound("organisation")
    clean = _clean(data)
    _slug_free(clean.slug)
    organisation = Organisation(
        slug=clean.slug, name={"vi": clean.name_vi, "en": clean.name_en},
        signatory_name=clean.signatory_name or None,
        signatory_title=clean.signatory_title or None, courses=_courses(clean.course_slugs))
    db.session.add(organisation)
    db.session.flush()
    audit.record("organisation.create", actor.id if actor else None,
                 f"organisation:{organisation.id}", **_snapshot(organisation))
    return organisation


def update(organisation: Organisation, data: OrganisationData, actor: User | None) -> bool:
    """Change the names, signatory and courses; False when nothing changed."""
    clean = _clean(data)
    _slug_free(clean.slug, organisation.id)
    courses = _courses(clean.course_slugs)
    before = _snapshot(organisation)
    organisation.slug = clean.slug
    organisation.name = {"vi": clean.name_vi, "en": clean.name_en}
    organisation.signatory_name = clean.signatory_name or None
    organisation.signatory_title = clean.signatory_title or None
    organisation.courses = courses
    after = _snapshot(organisation)
    if after == before:
        return False
    db.session.flush()
    audit.record("organisation.update", actor.id if actor else None,
                 f"organisation:{organisation.id}", before=before, after=after)
    return True


def check_images(uploads: dict[str, bytes]) -> dict[str, str]:
    """Every upload's content type, or ServiceError with the `field` (the kind) that is wrong.
    Checked before anything is written, so a bad file changes nothing."""
    types = {}
    for kind, data in uploads.items():
        if kind not in IMAGE_KINDS:
            raise ServiceError("image_kind", f"unknown image kind {kind}", field=kind)
        try:
            types[kind] = checked_image(data)
        except ServiceError as error:
            raise ServiceError(error.code, error.message, field=kind) from error
    return types


def set_images(organisation: Organisation, uploads: dict[str, bytes],
               actor: User | None) -> None:
    """Store (or replace) the uploaded images; call check_images first."""
    types = check_images(uploads)
    for kind, data in uploads.items():
        digest = hashlib.sha256(data).hexdigest()
        row = db.session.get(OrganisationImage, (organisation.id, kind))
        if row is not None and row.sha256 == digest:
            continue
        if row is None:
            row = OrganisationImage(organisation_id=organisation.id, kind=kind)
            db.session.add(row)
        row.content_type, row.sha256, row.data = types[kind], digest, data
        row.updated_at = utcnow()
        audit.record("organisation.image", actor.id if actor else None,
                     f"organisation:{organisation.id}", kind=kind, sha256=digest,
                     bytes=len(data))
    db.session.flush()


def remove_images(organisation: Organisation, kinds: Iterable[str], actor: User | None) -> None:
    for kind in kinds:
        row = db.session.get(OrganisationImage, (organisation.id, kind))
        if row is not None:
            db.session.delete(row)
            audit.record("organisation.image_remove", actor.id if actor else None,
                         f"organisation:{organisation.id}", kind=kind)
    db.session.flush()


def set_archived(organisation: Organisation, archived: bool, actor: User | None) -> bool:
    """Archive (hidden from choices, its certificates stay valid) or bring back; site
    administrators only. False when nothing changed."""
    if actor is not None and actor.organisation_id is not None:
        raise NotFound("organisation")
    if organisation.archived == archived:
        return False
    organisation.archived = archived
    audit.record("organisation.archive" if archived else "organisation.unarchive",
                 actor.id if actor else None, f"organisation:{organisation.id}",
                 slug=organisation.slug)
    db.session.flush()
    return True


# ------------------------------------------------------------------------------ reading

def _reachable(actor: User | None) -> sa.Select:
    query = sa.select(Organisation).options(selectinload(Organisation.courses))
    if actor is not None and actor.organisation_id is not None:
        query = query.where(Organisation.id == actor.organisation_id)
    return query


def listing(actor: User | None) -> list[Organisation]:
    """The organisations an administrator manages (all for a site administrator), by slug."""
    return list(db.session.scalars(_reachable(actor).order_by(Organisation.archived,
                                                              Organisation.slug)))


def by_slug(slug: str, actor: User | None) -> Organisation:
    found = db.session.scalar(_reachable(actor).where(Organisation.slug == slug))
    if found is None or (actor is not None and not reach.reaches_organisation(
            actor.organisation_id, found.id)):
        raise NotFound("organisation")
    return found


def images_of(organisation_ids: list[int]) -> dict[int, dict[str, OrganisationImage]]:
    """Each organisation's images without their bytes, in one query."""
    found: dict[int, dict[str, OrganisationImage]] = {i: {} for i in organisation_ids}
    if organisation_ids:
        for row in db.session.scalars(sa.select(OrganisationImage).options(
                defer(OrganisationImage.data)).where(
                OrganisationImage.organisation_id.in_(organisation_ids))):
            found[row.organisation_id][row.kind] = row
    return found


def image(slug: str, kind: str, sha256: str) -> OrganisationImage | IssuerImage:
    """A public image (printed on certificates, shown on verification pages) by its digest:
    the organisation's current one, or one its certificates were issued with and that it has
    replaced since (certificates/issuers.py keeps those)."""
    organisation_id = db.session.scalar(sa.select(Organisation.id).where(
        Organisation.slug == slug))
    if organisation_id is None:
        raise NotFound("image")
    row = db.session.get(OrganisationImage, (organisation_id, kind))
    if row is not None and row.sha256 == sha256:
        return row
    kept = db.session.get(IssuerImage, sha256)
    if kept is None:
        raise NotFound("image")
    return kept


def offerable_courses() -> list[Course]:
    return list(db.session.scalars(sa.select(Course).order_by(Course.slug)))
