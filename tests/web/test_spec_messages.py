"""The question types' authoring errors (written in English by the domain) reach authors in
their language: every message that broken specs of every type produce has a translation
(course_app/author/messages.py), with its values kept."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale

from course_app.author.messages import spec_message
from course_app.domain.questions import get_type
from tests.unit.test_benchmarks_answers import RAW

VALID = {**RAW, "essay": {"min_words": 10, "max_words": 200}}
WRONG_VALUES = (None, 5, 2.5, "x", True, [], {}, [5], [{}], {"fr": "x"}, {"vi": ""}, float("inf"))


def messages_of(kind: str) -> set[str]:
    """Every authoring error of `kind` when each of its fields takes each wrong value, and
    with a field the type does not know."""
    found: set[str] = set()
    base: dict[str, Any] = VALID[kind]
    variants = [{**base, "colour": "red"}, {}]
    for name in base:
        variants += [{**base, name: value} for value in WRONG_VALUES]
        for item in base[name] if isinstance(base[name], list) else []:
            if isinstance(item, dict):
                for field in item:
                    broken = [{**item, field: value} for value in WRONG_VALUES]
                    variants += [{**base, name: [entry, *base[name]]} for entry in broken]
    for raw in variants:
        found |= {error.message for error in get_type(kind).normalise(raw)[1]}
    return found


@pytest.mark.parametrize("kind", sorted(VALID))
def test_every_authoring_error_is_translated(app, kind):
    messages = messages_of(kind)
    assert len(messages) >= 2  # the broken specs do break
    with app.test_request_context("/"), force_locale("vi"):
        untranslated = sorted(m for m in messages if spec_message(m) == m)
    assert untranslated == []


def test_values_are_kept_in_the_translation(app):
    with app.test_request_context("/"), force_locale("vi"):
        unknown = spec_message("unknown field 'colour' in a single-choice question")
        language = spec_message("text: unknown language 'fr' (use vi and en)")
    assert "colour" in unknown and unknown.startswith("Trường")
    assert "fr" in language and "vi và en" in language
