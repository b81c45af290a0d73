"""Numeric questions."""

import json

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type
from course_app.domain.questions.numeric import parse_number

QT = get_type("numeric")


def good(**fields):
    type_data, errors = QT.normalise({"key": "n", "type": "numeric", "text": "?", **fields})
    assert errors == []
    return type_data


def test_short_form():
    assert good(answer=3.5, tolerance=0.1) == {
        "answers": [{"value": 3.5, "tolerance": 0.1, "credit": 100.0}]}
    assert good(answer=7) == {"answers": [{"value": 7.0, "tolerance": 0.0, "credit": 100.0}]}


def test_long_form():
    td = good(answers=[{"value": 1945, "feedback": "Đúng"},
                       {"min": 1940, "max": 1950, "credit": 50},
                       {"value": 1954, "tolerance": 0, "credit": 0, "feedback": "Nhầm năm"}])
    assert td == {"answers": [
        {"value": 1945.0, "tolerance": 0.0, "credit": 100.0, "feedback": {"vi": "Đúng"}},
        {"min": 1940.0, "max": 1950.0, "credit": 50.0},
        {"value": 1954.0, "tolerance": 0.0, "credit": 0.0, "feedback": {"vi": "Nhầm năm"}},
    ]}
    json.dumps(td)
    assert QT.grade(td, "1945") == Grade(1.0, feedback=({"vi": "Đúng"},))
    assert QT.grade(td, "1946") == Grade(0.5)
    assert QT.grade(td, "1940") == Grade(0.5)  # range is inclusive
    assert QT.grade(td, "1950") == Grade(0.5)
    assert QT.grade(td, "1951") == Grade(0.0)
    assert QT.grade(td, "1954") == Grade(0.0, feedback=({"vi": "Nhầm năm"},))


def test_round_trip():
    for td in (good(answer=3.5, tolerance=0.25), good(answer=12),
               good(answers=[{"value": -2.5, "tolerance": 0.5, "credit": 100, "feedback": "a"},
                             {"min": -1e6, "max": 1e-3, "credit": 12.5}])):
        assert QT.normalise(QT.to_authoring(td)) == (td, [])
    assert QT.to_authoring(good(answer=12)) == {
        "answers": [{"value": 12, "tolerance": 0, "credit": 100}]}


def test_tolerance_is_inclusive_despite_float_error():
    td = good(answer=0.3, tolerance=0.1)
    assert QT.grade(td, "0,4").fraction == 1.0
    assert QT.grade(td, "0.2").fraction == 1.0
    assert QT.grade(td, "0.41").fraction == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [("3,5", 3.5), ("3.5", 3.5), (" -2 ", -2.0), ("+7", 7.0), ("\u22124", -4.0), (",5", 0.5),
     ("5.", 5.0), ("1e3", 1000.0), ("1,5E-1", 0.15), ("007", 7.0)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "abc", "inf", "-inf", "nan", "NaN", "Infinity", "1_000", "1.000,5", "1,000.5", "3 500",
     "1e999", "9" * 400, "٣", "0x10", "1/2", "--1", ".", "1e", "3.5.1"],
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_grade_of_bad_input_is_zero():
    td = good(answer=1, tolerance=1e9)
    for bad in (None, "nan", "inf", 1.0, ["1"], "một"):
        assert QT.grade(td, bad) == Grade(0.0)


def test_best_credit_wins():
    td = good(answers=[{"min": 0, "max": 10, "credit": 30},
                       {"value": 5, "tolerance": 1},
                       {"value": 5, "credit": 60}])
    assert QT.grade(td, "5").fraction == 1.0
    assert QT.grade(td, "9").fraction == 0.3


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({}, ("answers",), "needs answers"),
        ({"answer": "3,5"}, ("answer",), "must be a number"),
        ({"answer": True}, ("answer",), "must be a number"),
        ({"answer": float("inf")}, ("answer",), "finite"),
        ({"answer": 1, "tolerance": -0.1}, ("tolerance",), "at least 0"),
        ({"answer": 1, "answers": [{"value": 1}]}, ("answers",), "not both"),
        ({"tolerance": 1, "answers": [{"value": 1}]}, ("tolerance",), "goes with answer"),
        ({"answers": [{"credit": 100}]}, ("answers", 0), "either value"),
        ({"answers": [{"min": 5, "max": 1}]}, ("answers", 0), "min (5) is greater than max (1)"),
        ({"answers": [{"min": 5}]}, ("answers", 0, "max"), "must be a number"),
        ({"answers": [{"value": 1, "min": 0, "max": 2}]}, ("answers", 0, "min"), "unknown field"),
        ({"answers": [{"min": 0, "max": 2, "tolerance": 1}]}, ("answers", 0, "tolerance"),
         "unknown field"),
        ({"answers": [{"value": 1, "tolerance": -1}]}, ("answers", 0, "tolerance"), "at least 0"),
        ({"answers": [{"value": 1, "credit": 50}]}, ("answers",), "full credit"),
        ({"answers": [{"value": 1, "credit": 101}]}, ("answers", 0, "credit"), "at most 100"),
        ({"answers": [5]}, ("answers", 0), "must be a mapping"),
        ({"answers": 5}, ("answers",), "must be a list"),
        ({"answer": 1, "unit": "m"}, ("unit",), "unknown field"),
    ],
)
def test_spec_errors(fields, path, message):
    type_data, errors = QT.normalise(fields)
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_min_equal_max_is_allowed():
    assert QT.grade(good(answers=[{"min": 2, "max": 2}]), "2,0").fraction == 1.0


def test_parse_form_strips():
    assert QT.parse_fields({"": ["  3,5 "]}) == "3,5"
    assert QT.parse_fields({"": ["   "]}) is None
    assert QT.parse_fields({}) is None


def test_validate_response():
    td = good(answer=1)
    for ok in (None, "3,5", "-1", "1e3"):
        QT.validate_response(td, ok)
    for bad, code in (("abc", "bad_number"), ("nan", "bad_number"), ("inf", "bad_number"),
                      (3.5, "bad_number"), ("1" * 10_001, "too_long")):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == code


def test_present_and_correct_answer():
    td = good(answers=[{"min": 1, "max": 2, "credit": 50}, {"value": 3, "tolerance": 0.5}])
    assert QT.present(td, 3, True) == {}
    assert QT.correct_answer(td) == {"value": 3.0, "tolerance": 0.5}
    assert QT.correct_answer(good(answers=[{"min": 1, "max": 2}])) == {"min": 1.0, "max": 2.0}
