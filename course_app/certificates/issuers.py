"""Who issues a certificate: the organisation of the trainee's cohort in the course, or, when
that cohort has none (a fresh install), the issuer of the course file. The names are copied into
the certificate when it is issued, like every certified field; the signatory and the images are
read from the organisation when the PDF is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Certificate, Cohort, Course, Enrolment, Organisation, OrganisationImage


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


def issuer_for(organisation: Organisation | None, course: Course) -> dict[str, str]:
    """The names printed as the issuing body: the organisation's, else the course file's."""
    if organisation is not None:
        names = organisation.name or {}
        return {"vi": names.get("vi") or names.get("en") or "",
                "en": names.get("en") or names.get("vi") or ""}
    block = course.certificate or {}
    return {"vi": issuer(block, "vi"), "en": issuer(block, "en")}


def issuer_names(certificate: Certificate) -> dict[str, str]:
    if certificate.issuer:
        return {"vi": certificate.issuer.get("vi") or "", "en": certificate.issuer.get("en") or ""}
    course = db.session.get(Course, certificate.course_id)  # issued before the snapshot existed
    block = course.certificate if course else {}
    return {"vi": issuer(block, "vi"), "en": issuer(block, "en")}


def issuing_organisation(certificate: Certificate
                         ) -> tuple[Organisation | None, OrganisationImage | None]:
    """The certificate's organisation and its logo (without the bytes), for the verify page."""
    if certificate.organisation_id is None:
        return None, None
    organisation = db.session.get(Organisation, certificate.organisation_id)
    logo = db.session.scalar(sa.select(OrganisationImage).options(
        defer(OrganisationImage.data)).where(
        OrganisationImage.organisation_id == certificate.organisation_id,
        OrganisationImage.kind == "logo"))
    return organisation, logo


def organisation_by_slug(slug: str) -> Organisation | None:
    """Archived ones too: the certificates they issued stay valid."""
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


@dataclass(frozen=True)
class Signatory:
    """What the PDF prints for an organisation's certificate."""

    name: str | None
    title: str | None
    images: dict[str, bytes] = field(default_factory=dict)  # logo, signature, seal


def signatory(organisation_id: int | None) -> Signatory | None:
    """The organisation's signatory and images; None for a certificate of no organisation."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        return None
    rows = db.session.execute(sa.select(OrganisationImage.kind, OrganisationImage.data).where(
        OrganisationImage.organisation_id == organisation.id)).all()
    return Signatory(organisation.signatory_name, organisation.signatory_title,
                     {kind: data for kind, data in rows})
