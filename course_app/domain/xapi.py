"""xAPI 1.0.3 statements of the learning record, as pure functions (no Flask, no database):
a lesson read (`experienced`), a quiz attempt started (`attempted`), submitted (`completed`)
and graded (`passed` / `failed` with the scaled score), a certificate issued (`earned`).

The actor is an account on the app's public home page whose name is an opaque id (never the
e-mail address: an LRS is often another body's system). Each statement's id is a UUID derived
from what it records, so a retried delivery sends the same statement again and the LRS keeps
one. Verbs are ADL's (cmi5 uses the same IRIs for attempted, completed, passed and failed)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

VERSION = "1.0.3"
VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "earned": "http://id.tincanapi.com/verb/earned",
}
TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "cohort": "http://id.tincanapi.com/activitytype/group",
    "certificate": "http://id.tincanapi.com/activitytype/badge",
}
NAMESPACE = uuid.UUID("5b0d7f3e-6a43-4c1e-9a55-0c7a5e2a1f22")  # this app's statements


@dataclass(frozen=True)
class Place:
    """Where the learning happened: the site, the course, and the trainee's cohort if any."""

    base: str  # the public URL, no trailing slash
    course_slug: str
    course_title: dict[str, str]
    cohort_slug: str | None = None
    cohort_name: str | None = None


def _names(text: dict[str, str] | str | None) -> dict[str, str]:
    """A language map: vi → vi-VN, en → en-US (RFC 5646 tags, as xAPI wants)."""
    if isinstance(text, str):
        return {"vi-VN": text}
    tags = {"vi": "vi-VN", "en": "en-US"}
    found = {tags.get(lang, lang): value for lang, value in (text or {}).items() if value}
    return found or {"und": "-"}


def actor(home_page: str, opaque_id: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": opaque_id}}


def verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def activity(iri: str, kind: str, name: dict[str, str] | str | None) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": TYPES[kind], "name": _names(name)}}


def course_iri(place: Place) -> str:
    return f"{place.base}/courses/{place.course_slug}"


def context(place: Place, extra_parent: dict[str, Any] | None = None) -> dict[str, Any]:
    """The course as parent, the cohort as grouping: a province's analytics group by both."""
    parents = [activity(course_iri(place), "course", place.course_title)]
    if extra_parent:
        parents.insert(0, extra_parent)
    activities: dict[str, Any] = {"parent": parents}
    if place.cohort_slug:
        activities["grouping"] = [activity(f"{place.base}/cohorts/{place.cohort_slug}",
                                           "cohort", place.cohort_name or place.cohort_slug)]
    return {"platform": "course_app", "language": "vi-VN", "contextActivities": activities}


def _statement(key: str, who: dict[str, Any], how: str, what: dict[str, Any],
               where: dict[str, Any], when: datetime, result: dict[str, Any] | None = None
               ) -> dict[str, Any]:
    # The id is derived from what the statement records, the actor included: a retried delivery
    # sends the same id, and another person's (or, after a database was reset, another
    # attempt's) statement can never take it.
    seed = f"{(who.get('account') or {}).get('name', '')} {key}"
    statement = {"id": str(uuid.uuid5(NAMESPACE, seed)), "actor": who, "verb": verb(how),
                 "object": what, "context": where,
                 "timestamp": when.isoformat().replace("+00:00", "Z")}
    if result is not None:
        statement["result"] = result
    return statement


def lesson_experienced(who: dict[str, Any], place: Place, lesson_slug: str,
                       lesson_title: dict[str, str], when: datetime) -> dict[str, Any]:
    iri = f"{course_iri(place)}/lessons/{lesson_slug}"
    return _statement(f"experienced {who['account']['name']} {iri}", who, "experienced",
                      activity(iri, "lesson", lesson_title), context(place), when)


def quiz_iri(place: Place, quiz_slug: str) -> str:
    return f"{course_iri(place)}/quizzes/{quiz_slug}"


def attempt_started(who: dict[str, Any], place: Place, quiz_slug: str,
                    quiz_title: dict[str, str], attempt_id: int, when: datetime
                    ) -> dict[str, Any]:
    iri = quiz_iri(place, quiz_slug)
    return _statement(f"attempted {attempt_id} {iri}", who, "attempted",
                      activity(iri, "quiz", quiz_title), context(place), when)


def score(raw: float | None, maximum: float | None, percent: float | None) -> dict[str, Any]:
    """result.score: scaled in [0, 1] (xAPI allows [-1, 1]); raw within [min, max]."""
    found: dict[str, Any] = {}
    if percent is not None:
        found["scaled"] = round(min(max(percent / 100, 0.0), 1.0), 4)
    if raw is not None and maximum is not None and maximum > 0:
        found.update(raw=min(max(raw, 0.0), maximum), min=0, max=maximum)
    return found


def attempt_graded(who: dict[str, Any], place: Place, quiz_slug: str,
                   quiz_title: dict[str, str], attempt_id: int, when: datetime,
                   graded: bool, raw: float | None, maximum: float | None,
                   percent: float | None, pass_score: float) -> list[dict[str, Any]]:
    """`completed` once submitted; with it `passed` or `failed` once the grade is final (an
    attempt whose essays wait for a trainer has no final grade yet: its `passed` or `failed`
    follows when the trainer grades it, alone). A changed grade is a new statement."""
    iri = quiz_iri(place, quiz_slug)
    what = activity(iri, "quiz", quiz_title)
    marks = score(raw, maximum, percent) if graded else {}
    done: dict[str, Any] = {"completion": True}
    if marks:
        done["score"] = marks
    statements = [_statement(f"completed {attempt_id} {iri}", who, "completed", what,
                             context(place), when, done)]
    if graded and percent is not None:
        success = percent >= pass_score
        statements.append(_statement(
            f"{'passed' if success else 'failed'} {attempt_id} {iri} {percent}", who,
            "passed" if success else "failed", what, context(place), when,
            {"success": success, "completion": True, "score": marks}))
    return statements


def certificate_earned(who: dict[str, Any], place: Place, code: str, when: datetime
                       ) -> dict[str, Any]:
    iri = f"{place.base}/verify/{code}"
    return _statement(f"earned {iri}", who, "earned",
                      activity(iri, "certificate", place.course_title), context(place), when)
