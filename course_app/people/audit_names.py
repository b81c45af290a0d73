"""The names behind an audit page's ids, so each event reads as a sentence: the people, cohorts,
certificates, quizzes and courses the events name, read in one query per kind of object
whatever the number of events (ids in chunks of 500 for a long export)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import percent, tr
from ..models import AuditEvent, Certificate, Cohort, Course, Organisation, Quiz, User
from . import audit_sentences as sentences

CHUNK = 500
ROLE_NAMES = {"trainee": _l("trainee"), "trainer": _l("trainer"), "admin": _l("administrator")}
# Plain values copied from an event's details into its sentence.
COPIED = ("email", "reason", "file", "rows", "errors", "created", "updated", "exported", "files",
          "attempts", "item", "slug", "kind")

Row = tuple[AuditEvent, str | None, str | None]  # the event, its actor's email and name


def _target(event: AuditEvent) -> tuple[str, str]:
    kind, _sep, value = (event.target or "").partition(":")
    return kind, value


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ids(events: list[AuditEvent], target_kind: str, *keys: str) -> set[int]:
    found: set[int] = set()
    for event in events:
        kind, value = _target(event)
        details = event.details or {}
        candidates = [value if kind == target_kind else None, *(details.get(k) for k in keys)]
        if target_kind == "user" and len(details.get("user_ids") or []) == 1:
            candidates.append(details["user_ids"][0])
        found.update(i for i in map(_int, candidates) if i is not None)
    return found


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(values, key=str)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _load(columns: tuple[Any, ...], key: Any, values: set[Any]) -> dict[Any, Any]:
    loaded: dict[Any, Any] = {}
    for chunk in _chunks(values):
        for row in db.session.execute(sa.select(key, *columns).where(key.in_(chunk))):
            loaded[row[0]] = row
    return loaded


class Names:
    """The objects a list of events names, loaded once."""

    def __init__(self, events: list[AuditEvent]) -> None:
        self.users = _load((User.full_name, User.email), User.id,
                           _ids(events, "user", "user_id", "trainee_id"))
        self.certificates = _load((Certificate.code, Certificate.holder_name,
                                   Certificate.course_title), Certificate.id,
                                  _ids(events, "certificate", "replaces"))
        self.cohorts = _load((Cohort.name,), Cohort.id,
                             _ids(events, "cohort", "cohort_id", "to_cohort_id"))
        self.quizzes = _load((Quiz.title,), Quiz.id, _ids(events, "quiz", "quiz_id"))
        self.organisations = _load((Organisation.name,), Organisation.id,
                                   _ids(events, "organisation"))
        slugs = {str(e.details.get("course")) for e in events if (e.details or {}).get("course")}
        slugs |= {_target(e)[1] for e in events if _target(e)[0] == "course"}
        self.courses = _load((Course.title,), Course.slug, slugs)
        by_id = _ids(events, "-", "course_id")
        self.course_ids = _load((Course.title,), Course.id, by_id)

    def user(self, value: Any) -> str | None:
        row = self.users.get(_int(value))
        return (row.full_name or row.email) if row else None

    def params(self, event: AuditEvent, actor_email: str | None,
               actor_name: str | None) -> dict[str, Any]:
        details = event.details or {}
        kind, value = _target(event)
        params: dict[str, Any] = {k: details[k] for k in COPIED if details.get(k) is not None}
        params["actor"] = actor_name or actor_email or str(sentences.SOMEONE)
        params["target"] = event.target or sentences.MISSING
        if isinstance(details.get("name"), str):  # an API key's name (an organisation's is a dict)
            params["name"] = details["name"]
        organisation = self.organisations.get(_int(value)) if kind == "organisation" else None
        if organisation:
            params["organisation"] = tr(organisation.name)
        moved_to = self.cohorts.get(_int(details.get("to_cohort_id")))
        if moved_to:
            params["to_cohort"] = moved_to.name
        if details.get("format"):
            params["format"] = str(details["format"]).upper()
        single = (details.get("user_ids") or [None])[0] if len(
            details.get("user_ids") or []) == 1 else None
        person = self.user(details.get("trainee_id") or details.get("user_id") or single)
        if person:
            params["trainee"] = params["user"] = person
        if kind == "user" and self.user(value):
            params["user"] = self.user(value)
        self._certificate(params, kind, value, details)
        self._context(params, kind, value, details)
        self._changes(params, details)
        return params

    def _certificate(self, params: dict[str, Any], kind: str, value: str,
                     details: dict[str, Any]) -> None:
        row = self.certificates.get(_int(value)) if kind == "certificate" else None
        if row:
            params.update(code=row.code, holder=row.holder_name, course=tr(row.course_title))
        old = self.certificates.get(_int(details.get("replaces")))
        if old:
            params["old_code"] = old.code

    def _context(self, params: dict[str, Any], kind: str, value: str,
                 details: dict[str, Any]) -> None:
        cohort = self.cohorts.get(_int(value) if kind == "cohort" else _int(
            details.get("cohort_id")))
        if cohort:
            params["cohort"] = cohort.name
        quiz = self.quizzes.get(_int(value) if kind == "quiz" else _int(details.get("quiz_id")))
        if quiz:
            params["quiz"] = tr(quiz.title)
        if kind == "attempt":
            params["attempt"] = f"#{value}"
        course = self.courses.get(value if kind == "course" else details.get("course")) or \
            self.course_ids.get(_int(details.get("course_id")))
        if course and "course" not in params:
            params["course"] = tr(course.title)

    @staticmethod
    def _changes(params: dict[str, Any], details: dict[str, Any]) -> None:
        for key in ("before", "after"):
            value = details.get(key)
            if isinstance(value, dict):
                params[key] = percent(value.get("percent"))
            elif value in ROLE_NAMES:
                params[key] = str(ROLE_NAMES[value])
        if details.get("role") in ROLE_NAMES:
            params["role"] = str(ROLE_NAMES[details["role"]])


def describe(rows: list[Row]) -> list[str]:
    """Each event as a sentence in the current language, in the order given."""
    names = Names([event for event, _email, _name in rows])
    return [sentences.sentence(event.action, event.details or {},
                               names.params(event, email, name))
            for event, email, name in rows]
