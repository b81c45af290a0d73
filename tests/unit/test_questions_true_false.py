"""True/false questions."""

import json

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type

QT = get_type("true_false")


def good(**fields):
    type_data, errors = QT.normalise({"key": "t", "type": "true_false", "text": "?", **fields})
    assert errors == []
    return type_data


def test_canonical_form():
    assert good(answer=True) == {"answer": True}
    td = good(answer=False, feedback_true="Sai rồi", feedback_false={"vi": "Đúng", "en": "Yes"})
    assert td == {"answer": False, "feedback_true": {"vi": "Sai rồi"},
                  "feedback_false": {"vi": "Đúng", "en": "Yes"}}


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({}, ("answer",), "answer: true or answer: false"),
        ({"answer": "true"}, ("answer",), "answer: true"),
        ({"answer": 1}, ("answer",), "answer: true"),
        ({"answer": True, "feedback_true": 5}, ("feedback_true",), "feedback_true"),
        ({"answer": True, "feedback_false": {"en": "x"}}, ("feedback_false", "vi"), "missing"),
        ({"answer": True, "choices": []}, ("choices",), "unknown field"),
    ],
)
def test_spec_errors(fields, path, message):
    type_data, errors = QT.normalise(fields)
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_round_trip():
    for td in (good(answer=True), good(answer=False, feedback_true="a", feedback_false="b")):
        assert QT.normalise(QT.to_authoring(td)) == (td, [])


def test_grade_and_feedback():
    td = good(answer=True, feedback_true="Chính xác", feedback_false="Chưa đúng")
    assert QT.grade(td, "true") == Grade(1.0, feedback=({"vi": "Chính xác"},))
    assert QT.grade(td, "false") == Grade(0.0, feedback=({"vi": "Chưa đúng"},))
    assert QT.grade(td, None) == Grade(0.0)
    assert QT.grade(td, "yes") == Grade(0.0)
    assert QT.grade(td, True) == Grade(0.0)
    no_feedback = good(answer=False)
    assert QT.grade(no_feedback, "false") == Grade(1.0)
    assert QT.grade(no_feedback, "true") == Grade(0.0)


def test_parse_and_validate():
    assert QT.parse_fields({"": ["false"]}) == "false"
    assert QT.parse_fields({"": [""]}) is None
    assert QT.parse_fields({}) is None
    td = good(answer=True)
    for ok in (None, "true", "false"):
        QT.validate_response(td, ok)
    for bad in ("True", "1", True, ["true"]):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == "unknown_choice"


def test_present_is_fixed_and_does_not_leak():
    td = good(answer=False, feedback_true="Sai rồi", feedback_false="Đúng vậy")
    expected = {"choices": [{"key": "true", "text": {"vi": "Đúng", "en": "True"}},
                            {"key": "false", "text": {"vi": "Sai", "en": "False"}}]}
    assert QT.present(td, 1, True) == QT.present(td, 2, False) == expected
    text = json.dumps(QT.present(td, 1, True), ensure_ascii=False)
    assert "feedback" not in text and "answer" not in text and "Sai rồi" not in text


def test_correct_answer():
    assert QT.correct_answer(good(answer=True)) == {"choices": ["true"]}
    assert QT.correct_answer(good(answer=False)) == {"choices": ["false"]}
