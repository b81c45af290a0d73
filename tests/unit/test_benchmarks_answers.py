"""The benchmark's answer builder: a "right" answer earns full marks, a "wrong" one does not,
and the posted fields parse back to the same response, for every automatically graded type."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.answers import attempt_form, correct_response, form_fields, wrong_response
from course_app.domain.questions import get_type
from course_app.quiz.forms import read_answers

RAW: dict[str, dict[str, Any]] = {
    "single": {"choices": [{"key": "a", "text": "A", "correct": True},
                           {"key": "b", "text": "B"}, {"key": "c", "text": "C"}]},
    "multiple": {"choices": [{"key": "a", "text": "A", "correct": True},
                             {"key": "b", "text": "B", "correct": True},
                             {"key": "c", "text": "C"}]},
    "true_false": {"answer": False},
    "short": {"answers": [{"text": "Hải Phòng*"}]},
    "numeric": {"answer": 12.5, "tolerance": 0.1},
    "matching": {"pairs": [{"key": "p1", "prompt": "Một", "answer": "1"},
                           {"key": "p2", "prompt": "Hai", "answer": "2"}],
                 "distractors": ["3"]},
    "ordering": {"items": [{"key": "z", "text": "Đầu"}, {"key": "m", "text": "Giữa"},
                           {"key": "a", "text": "Cuối"}]},
}


def type_data(kind: str) -> dict[str, Any]:
    data, errors = get_type(kind).normalise(RAW[kind])
    assert errors == []
    return data


def as_form(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form


@pytest.mark.parametrize("kind", sorted(RAW))
def test_right_answer_earns_full_marks_and_wrong_does_not(kind: str) -> None:
    data, question = type_data(kind), get_type(kind)
    assert question.grade(data, correct_response(kind, data)).fraction == 1.0
    assert question.grade(data, wrong_response(kind, data)).fraction < 1.0


@pytest.mark.parametrize("kind", sorted(RAW))
@pytest.mark.parametrize("right", [True, False])
def test_posted_fields_parse_back_to_the_response(kind: str, right: bool) -> None:
    data, question = type_data(kind), get_type(kind)
    response = (correct_response if right else wrong_response)(kind, data)
    fields = read_answers(as_form(form_fields("q7", response)), ["q7"]).fields_of("q7")
    parsed = question.parse_fields(fields)
    question.validate_response(data, parsed)
    assert question.grade(data, parsed) == question.grade(data, response)


def test_unanswered_posts_nothing_and_a_whole_attempt_answers_every_question() -> None:
    assert form_fields("q1", None) == []
    snapshot = [{"key": f"k-{kind}", "type": kind, "type_data": type_data(kind)}
                for kind in sorted(RAW)]
    names = {name for name, _ in attempt_form(snapshot)}
    assert {f"q-k-{kind}" for kind in ("single", "multiple", "true_false", "short",
                                       "numeric")} <= names
    assert "q-k-matching-p1" in names and "q-k-ordering-z" in names
