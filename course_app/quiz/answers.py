"""Reading an attempt form and storing its answers: every valid answer is kept, whatever is
wrong with the others, and a page built on an older revision of the attempt never silently
replaces answers saved since (domain/answer_merge.py). The caller locks the attempt's row and
checks it is open (attempts.save_answers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain.answer_merge import digest, merge
from ..domain.questions import ResponseError, get_type
from ..extensions import db
from ..models import Answer, Attempt
from ..models.types import utcnow
from . import forms

UNKNOWN = "_unknown"  # the error key of answer fields that belong to no question


@dataclass
class ReadForm:
    responses: dict[str, Any]  # valid responses by question key (None: unanswered)
    errors: dict[str, str]  # error codes by question key (UNKNOWN for stray fields)
    typed: dict[str, Any]  # what the trainee sent for each invalid question, to show again
    posted: forms.PostedAnswers


def read_form(attempt: Attempt, form: Mapping[str, list[str]], language: str = "vi") -> ReadForm:
    """The posted answers, read as the trainee writes them (`language`: typed numbers, see
    domain/numbers.py)."""
    posted = forms.read_answers(form, [q["key"] for q in attempt.questions])
    read = ReadForm({}, {UNKNOWN: "unknown_question"} if posted.unknown else {}, {}, posted)
    for question in attempt.questions:
        key, kind = question["key"], get_type(question["type"])
        response = kind.parse_fields(posted.fields_of(key))
        try:
            response = kind.read(response, language)
            kind.validate_response(question["type_data"], response)
        except ResponseError as error:
            read.errors[key] = error.code
            read.typed[key] = response
            continue
        read.responses[key] = response
    return read


def parse_answers(attempt: Attempt, form: Mapping[str, list[str]], language: str = "vi"
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """Responses by question key, and errors by question key (UNKNOWN for stray fields)."""
    read = read_form(attempt, form, language)
    return read.responses, read.errors


@dataclass
class Saved:
    """What a save did, for the page or the autosave reply."""

    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)  # invalid questions' sent values
    conflicts: dict[str, Any] = field(default_factory=dict)  # key -> the newer saved response
    posted: dict[str, Any] = field(default_factory=dict)  # every valid posted response
    kept: set[str] = field(default_factory=set)  # the page's stale answer was not written
    changed_elsewhere: bool = False  # the page was built on an older revision
    revision: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # digests the page holds from now on

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def _saved_responses(attempt: Attempt) -> dict[str, Any]:
    return {a.question_key: a.response for a in attempt.answers}


def store(attempt: Attempt, form: Mapping[str, list[str]], language: str = "vi") -> Saved:
    """Store the form's valid answers (the attempt is locked and open)."""
    read = read_form(attempt, form, language)
    saved = _saved_responses(attempt)
    keep = set(form.get(forms.KEEP_SAVED_FIELD, []))
    merged = merge(saved, read.responses, read.posted.seen, keep)
    base = read.posted.revision
    result = Saved(errors=read.errors, typed=read.typed, conflicts=merged.conflicts,
                   posted=read.responses, kept=merged.kept,
                   changed_elsewhere=base is not None and base < attempt.revision)
    if merged.write:
        _put_answers(attempt, merged.write, utcnow())
        attempt.revision += 1
        db.session.flush()
    saved.update(merged.write)
    result.revision = attempt.revision
    shown = read.posted.seen or {}
    # The page keeps showing its own answer where it was not written (kept, conflict,
    # invalid): its digest stays what the page showed, so the next save is judged the same way.
    result.seen = {key: (shown[key] if key in shown and _unwritten(key, result)
                         else digest(saved.get(key)))
                   for key in (q["key"] for q in attempt.questions)}
    return result


def _unwritten(key: str, result: Saved) -> bool:
    return key in result.kept or key in result.conflicts or key in result.errors


def _put_answers(attempt: Attempt, responses: dict[str, Any], now: datetime) -> None:
    rows = {a.question_key: a for a in attempt.answers}
    for key, response in responses.items():
        row = rows.get(key)
        if row is None:
            attempt.answers.append(Answer(question_key=key, response=response, saved_at=now))
        elif row.response != response:
            row.response, row.saved_at = response, now


def page_digests(responses: Mapping[str, Any], keys: list[str]) -> dict[str, str]:
    """The digests an attempt page carries for the answers it shows."""
    return {key: digest(responses.get(key)) for key in keys}
