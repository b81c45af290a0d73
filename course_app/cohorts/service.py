"""Creating, editing and archiving cohorts, for the browser and the command line alike. Every
problem with the fields is collected and raised at once (ServiceError "invalid" with `errors`,
field name -> code), before anything is written; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..domain import cohort_rules
from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Cohort, Course, Enrolment, Organisation, User, course_offering
from ..people import audit
from ..people.accounts import clean_name
from ..schedule import holding

NAME_MAX = 200
# The English text of each field error, for the command line (views translate the codes).
MESSAGES = {
    "name_required": "the cohort name is required",
    "name_too_long": f"the cohort name is longer than {NAME_MAX} characters",
    "slug_required": "a slug is required (a-z, 0-9 and -)",
    "bad_slug": "the slug must use lowercase a-z, 0-9 and - only",
    "reserved_slug": "this slug is reserved",
    "slug_in_use": "a cohort with this slug already exists",
    "unknown_course": "unknown course",
    "course_locked": "the course cannot change once trainees are enrolled",
    "organisation_required": "choose an organisation",
    "unknown_organisation": "unknown organisation",
    "not_offered": "the organisation does not offer this course",
    "bad_dates": "the end date is before the start date",
}


@dataclass(frozen=True)
class CohortFields:
    """What a cohort form or command gives; slugs for the course and the organisation."""
    slug: str
    name: str
    course: str
    organisation: str | None
    starts: date | None
    ends: date | None

    @classmethod
    def of(cls, cohort: Cohort) -> CohortFields:
        return cls(cohort.slug, cohort.name, cohort.course.slug,
                   cohort.organisation.slug if cohort.organisation else None,
                   cohort.starts_on, cohort.ends_on)


def invalid(errors: dict[str, str], **params: Any) -> ServiceError:
    text = "; ".join(f"{field}: {MESSAGES.get(code, code)}" for field, code in errors.items())
    if errors.get("course") == "unknown_course":  # the command line's long-standing wording
        text = f"unknown course '{params.get('course', '')}'"
    return ServiceError("invalid", text, errors=errors)


def organisation_choices(actor: User | None) -> list[Organisation]:
    """The organisations the actor may give a cohort: staff of one organisation, theirs;
    everyone else (and the command line), every organisation that is not archived."""
    query = sa.select(Organisation).order_by(Organisation.slug)
    if actor is not None and actor.organisation_id is not None:
        query = query.where(Organisation.id == actor.organisation_id)
    else:
        query = query.where(Organisation.archived.is_(False))
    return list(db.session.scalars(query))


def course_choices() -> list[Course]:
    return list(db.session.scalars(sa.select(Course).where(Course.archived.is_(False))
                                   .order_by(Course.slug)))


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = sa.select(Cohort.id).where(Cohort.slug == slug)
    if except_id is not None:
        query = query.where(Cohort.id != except_id)
    return db.session.scalar(query) is not None


def with_proposed_slug(fields: CohortFields, except_id: int | None = None) -> CohortFields:
    """A blank slug becomes the name's slug, made unique ("lop-1-2")."""
    if fields.slug.strip():
        return replace(fields, slug=fields.slug.strip())
    proposed = cohort_rules.propose_slug(fields.name, lambda s: slug_taken(s, except_id))
    return replace(fields, slug=proposed)


def _course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug,
                                                     Course.archived.is_(False)))


def _offered(organisation: Organisation) -> tuple[set[int], bool]:
    offered = set(db.session.scalars(sa.select(course_offering.c.course_id).where(
        course_offering.c.organisation_id == organisation.id)))
    any_offering = bool(offered) or db.session.scalar(
        sa.select(course_offering.c.course_id).limit(1)) is not None
    return offered, any_offering


def _check(fields: CohortFields, actor: User | None, cohort: Cohort | None,
           strict_organisation: bool) -> tuple[dict[str, str], Course | None,
                                               Organisation | None]:
    errors: dict[str, str] = {}
    name = clean_name(fields.name)
    if not name:
        errors["name"] = "name_required"
    elif len(name) > NAME_MAX:
        errors["name"] = "name_too_long"
    problem = cohort_rules.slug_problem(fields.slug)
    if problem is None and slug_taken(fields.slug, cohort.id if cohort else None):
        problem = "slug_in_use"
    if problem:
        errors["slug"] = problem
    course = _course(fields.course)
    if course is None:
        errors["course"] = "unknown_course"
    elif cohort is not None and course.id != cohort.course_id and db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.cohort_id == cohort.id).limit(1)):
        errors["course"] = "course_locked"
    organisation = None
    choices = organisation_choices(actor)
    if fields.organisation:
        organisation = next((o for o in choices if o.slug == fields.organisation), None)
        if organisation is None:
            errors["organisation"] = "unknown_organisation"
    elif strict_organisation and choices:
        errors["organisation"] = "organisation_required"
    if organisation is not None and course is not None and "course" not in errors \
            and not cohort_rules.offers(course.id, *_offered(organisation)):
        errors["course"] = "not_offered"
    if problem := cohort_rules.dates_problem(fields.starts, fields.ends):
        errors["ends"] = problem
    return errors, course, organisation


def _flush_or_slug_in_use() -> None:
    """Two people saving the same slug at once: the loser hears "slug in use", not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise invalid({"slug": "slug_in_use"}) from None


def create_cohort(fields: CohortFields, actor: User | None,
                  strict_organisation: bool = True) -> Cohort:
    """A new cohort; the actor (None: an operator at the command line) becomes its trainer."""
    fields = with_proposed_slug(fields)
    errors, course, organisation = _check(fields, actor, None, strict_organisation)
    if errors or course is None:
        raise invalid(errors, course=fields.course)
    cohort = Cohort(slug=fields.slug, name=clean_name(fields.name), course_id=course.id,
                    organisation_id=organisation.id if organisation else None,
                    starts_on=fields.starts, ends_on=fields.ends)
    db.session.add(cohort)
    if actor is not None:
        cohort.trainers.append(actor)
    _flush_or_slug_in_use()
    audit.record("cohort.create", actor.id if actor else None, f"cohort:{cohort.id}",
                 slug=cohort.slug, course=course.slug,
                 organisation=organisation.slug if organisation else None,
                 starts=_iso(fields.starts), ends=_iso(fields.ends))
    return cohort


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def update_cohort(cohort: Cohort, fields: CohortFields, actor: User | None,
                  strict_organisation: bool = True) -> Cohort:
    """Change a cohort's fields; only what changed is audited. The course stays once trainees
    are enrolled."""
    fields = with_proposed_slug(fields, cohort.id)
    errors, course, organisation = _check(fields, actor, cohort, strict_organisation)
    if errors or course is None:
        raise invalid(errors, course=fields.course)
    before = CohortFields.of(cohort)
    cohort.slug, cohort.name, cohort.course_id = fields.slug, clean_name(fields.name), course.id
    cohort.organisation_id = organisation.id if organisation else None
    cohort.starts_on, cohort.ends_on = fields.starts, fields.ends
    after = replace(fields, name=cohort.name)
    changes = {name: [_plain(getattr(before, name)), _plain(getattr(after, name))]
               for name in ("slug", "name", "course", "organisation", "starts", "ends")
               if getattr(before, name) != getattr(after, name)}
    _flush_or_slug_in_use()
    db.session.expire(cohort, ["course", "organisation"])
    if "starts" in changes or "ends" in changes:
        holding.refresh_cohort(cohort.id, cohort.course_id)  # attempts in progress: new close
    if changes:
        audit.record("cohort.update", actor.id if actor else None, f"cohort:{cohort.id}",
                     changes=changes)
    return cohort


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def set_archived(cohort: Cohort, archived: bool, actor: User | None) -> None:
    """Archived cohorts leave the default lists; their pages, results and certificates stay."""
    if cohort.archived == archived:
        return
    cohort.archived = archived
    audit.record("cohort.archive" if archived else "cohort.unarchive",
                 actor.id if actor else None, f"cohort:{cohort.id}")
    db.session.flush()
