"""Who issues a certificate: the organisation of the trainee's cohort in the course, or, when
that cohort has none (a fresh install), the issuer of the course file. Everything the
certificate prints of its issuer is copied into it when it is issued, like every certified
field: the names, the signatory, and the SHA-256 of each image, whose bytes are kept once in
issuer_image (never changed or deleted). An organisation that later renames its signatory or
replaces its seal changes the certificates issued after, not those issued before. Migration
0026 gave the certificates issued before it their organisation's signatory and images at the
upgrade, so every certificate of an organisation reads its own snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Certificate,
    Cohort,
    Course,
    Enrolment,
    IssuerImage,
    Organisation,
    OrganisationImage,
)


def issuer(course_certificate: dict, lang: str) -> str:
    """The course file's issuer in `lang` (configuration may name the installation's)."""
    configured = current_app.config.get(f"CERTIFICATE_ISSUER_{lang.upper()}")
    text = (course_certificate or {}).get("issuer") or {}
    return str(configured or text.get(lang) or text.get("vi") or "")


def cohort_organisation(user_id: int, course_id: int) -> Organisation | None:
    """The organisation of the trainee's cohort in the course (their latest enrolment in it)."""
    organisation_id = db.session.scalar(
        sa.select(Cohort.organisation_id).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user_id, Cohort.course_id == course_id)
        .order_by(Enrolment.id.desc()).limit(1))
    return db.session.get(Organisation, organisation_id) if organisation_id else None


def issuer_for(organisation: Organisation | None, course: Course) -> dict[str, Any]:
    """What the certificate keeps of its issuer: the names printed as the issuing body (the
    organisation's, else the course file's); for an organisation also its signatory and the
    digests of its images, whose bytes are kept in issuer_image (flushes)."""
    if organisation is None:
        block = course.certificate or {}
        return {"vi": issuer(block, "vi"), "en": issuer(block, "en")}
    names = organisation.name or {}
    digests = dict(db.session.execute(sa.select(OrganisationImage.kind, OrganisationImage.sha256)
                                      .where(OrganisationImage.organisation_id == organisation.id)
                                      ).all())
    _keep_images(organisation.id, set(digests.values()))
    return {"vi": names.get("vi") or names.get("en") or "",
            "en": names.get("en") or names.get("vi") or "",
            "signatory": {"name": organisation.signatory_name,
                          "title": organisation.signatory_title},
            "images": digests}


def _keep_images(organisation_id: int, digests: set[str]) -> None:
    """Copy into issuer_image the organisation's images not kept yet (one query when all are:
    the bytes are read only for a new image)."""
    kept = set(db.session.scalars(sa.select(IssuerImage.sha256).where(
        IssuerImage.sha256.in_(sorted(digests))))) if digests else set()
    if not digests - kept:
        return
    try:
        with db.session.begin_nested():
            for image in db.session.scalars(sa.select(OrganisationImage).where(
                    OrganisationImage.organisation_id == organisation_id,
                    OrganisationImage.sha256.in_(sorted(digests - kept)))):
                if image.sha256 not in kept:  # one row per digest, if two kinds share bytes
                    kept.add(image.sha256)
                    db.session.add(IssuerImage(sha256=image.sha256,
                                               content_type=image.content_type, data=image.data))
    except IntegrityError:
        pass  # a parallel issue kept the same bytes (same digest) first


def issuer_names(certificate: Certificate) -> dict[str, str]:
    if certificate.issuer:
        return {"vi": certificate.issuer.get("vi") or "", "en": certificate.issuer.get("en") or ""}
    course = db.session.get(Course, certificate.course_id)  # issued before the snapshot existed
    block = course.certificate if course else {}
    return {"vi": issuer(block, "vi"), "en": issuer(block, "en")}


@dataclass(frozen=True)
class ImageRef:
    """An image's address parts (organisations.image_url): kind, digest, type."""

    kind: str
    sha256: str
    content_type: str


def issuing_organisation(certificate: Certificate
                         ) -> tuple[Organisation | None, ImageRef | None]:
    """The certificate's organisation and the logo it was issued with, for the verify page;
    never the bytes."""
    if certificate.organisation_id is None:
        return None, None
    organisation = db.session.get(Organisation, certificate.organisation_id)
    sha = ((certificate.issuer or {}).get("images") or {}).get("logo")
    found = db.session.scalar(sa.select(IssuerImage.content_type).where(
        IssuerImage.sha256 == sha)) if sha else None
    return organisation, ImageRef("logo", sha, found) if sha and found else None


def organisation_by_slug(slug: str) -> Organisation | None:
    """Archived ones too: the certificates they issued stay valid."""
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


@dataclass(frozen=True)
class Signatory:
    """What the PDF prints for an organisation's certificate."""

    name: str | None
    title: str | None
    images: dict[str, bytes] = field(default_factory=dict)  # logo, signature, seal


def signatory(certificate: Certificate, images: bool = True) -> Signatory | None:
    """The signatory the certificate was issued with, and with `images` its logo, signature
    and seal (the bytes); None for a certificate of no organisation."""
    if certificate.organisation_id is None:
        return None
    kept = certificate.issuer or {}
    person = kept.get("signatory") or {}
    digests = (kept.get("images") or {}) if images else {}
    data = dict(db.session.execute(sa.select(IssuerImage.sha256, IssuerImage.data).where(
        IssuerImage.sha256.in_(list(digests.values())))).all()) if digests else {}
    return Signatory(person.get("name"), person.get("title"),
                     {kind: data[sha] for kind, sha in digests.items() if sha in data})
