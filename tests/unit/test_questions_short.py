"""Short-answer questions."""

import json
import time
import unicodedata

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type
from course_app.domain.questions.short import wildcard_match

QT = get_type("short")


def nfd(s):
    return unicodedata.normalize("NFD", s)


def good(answers, **fields):
    type_data, errors = QT.normalise({"key": "s", "type": "short", "text": "?",
                                      "answers": answers, **fields})
    assert errors == []
    return type_data


def test_canonical_form():
    td = good([{"text": "  Quảng\u00a0 bá "}, {"text": "quảng cáo", "credit": 50,
                                                  "feedback": "Gần đúng"}])
    assert td == {
        "answers": [{"text": "Quảng bá", "credit": 100.0},
                    {"text": "quảng cáo", "credit": 50.0, "feedback": {"vi": "Gần đúng"}}],
        "case_sensitive": False, "ignore_diacritics": False,
    }
    json.dumps(td)


def test_round_trip():
    td = good([{"text": "Hải Phòng"}, {"text": "HP*", "credit": 33.5, "feedback": "Viết đủ"}],
              case_sensitive=True, ignore_diacritics=True)
    assert QT.normalise(QT.to_authoring(td)) == (td, [])


def test_case_insensitive_by_default():
    td = good([{"text": "Hải Phòng"}])
    assert QT.grade(td, "hải phòng").fraction == 1.0
    assert QT.grade(td, "HẢI PHÒNG").fraction == 1.0
    assert QT.grade(td, "hai phong").fraction == 0.0  # diacritics matter by default


def test_case_sensitive():
    td = good([{"text": "Hải Phòng"}], case_sensitive=True)
    assert QT.grade(td, "Hải Phòng").fraction == 1.0
    assert QT.grade(td, "hải phòng").fraction == 0.0


def test_ignore_diacritics():
    td = good([{"text": "Quảng bá"}], ignore_diacritics=True)
    assert QT.grade(td, "quang ba").fraction == 1.0
    assert QT.grade(td, "QUANG BA").fraction == 1.0
    assert QT.grade(td, "Quảng bá").fraction == 1.0
    assert QT.grade(good([{"text": "đường"}], ignore_diacritics=True), "duong").fraction == 1.0


def test_ignore_diacritics_but_case_sensitive():
    td = good([{"text": "Đà Nẵng"}], ignore_diacritics=True, case_sensitive=True)
    assert QT.grade(td, "Da Nang").fraction == 1.0
    assert QT.grade(td, "da nang").fraction == 0.0


def test_nfd_and_whitespace_are_normalised_on_both_sides():
    td = good([{"text": nfd("Quảng  bá")}])
    assert QT.grade(td, "Quảng bá").fraction == 1.0
    assert QT.grade(td, nfd("  quảng\t\u00a0bá\n")).fraction == 1.0


def test_whole_response_not_substring():
    td = good([{"text": "Hải Phòng"}])
    assert QT.grade(td, "Thành phố Hải Phòng").fraction == 0.0
    assert QT.grade(td, "Hải").fraction == 0.0


def test_wildcard():
    td = good([{"text": "Hải Phòng"}, {"text": "*phòng*", "credit": 50},
               {"text": "*", "credit": 0, "feedback": "Xem bài 2"}])
    assert QT.grade(td, "Hải Phòng") == Grade(1.0)
    assert QT.grade(td, "thành phố Hải Phòng") == Grade(0.5)
    assert QT.grade(td, "Phòng") == Grade(0.5)
    assert QT.grade(td, "Hà Nội") == Grade(0.0, feedback=({"vi": "Xem bài 2"},))


def test_wildcard_escapes_regex_characters():
    td = good([{"text": "a.b (c)+*"}])
    assert QT.grade(td, "a.b (c)+ anything").fraction == 1.0
    assert QT.grade(td, "aXb (c)+").fraction == 0.0


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [("abc", "abc", True), ("abc", "abcd", False), ("a*", "a", True), ("a*", "ba", False),
     ("*a", "ba", True), ("a*b*c", "aXbYc", True), ("a*b*c", "acb", False), ("ab*ba", "aba", False),
     ("ab*ba", "abba", True), ("**", "", True), ("*x*", "", False), ("a*a*a", "aaa", True),
     ("a*a*a", "aa", False)],
)
def test_wildcard_match(pattern, text, matches):
    assert wildcard_match(pattern, text) is matches


def test_wildcard_is_fast_on_long_input():
    td = good([{"text": "*a*a*a*a*a*a*a*a*b"}])
    start = time.perf_counter()
    assert QT.grade(td, "a" * 10_000).fraction == 0.0
    assert time.perf_counter() - start < 1.0


def test_best_credit_wins_and_its_feedback():
    td = good([{"text": "*phòng", "credit": 40, "feedback": "một phần"},
               {"text": "hải phòng", "feedback": "đúng"}])
    assert QT.grade(td, "Hải Phòng") == Grade(1.0, feedback=({"vi": "đúng"},))


def test_unanswered_and_bad_shapes_grade_zero():
    td = good([{"text": "*"}])
    assert QT.grade(td, None) == Grade(0.0)
    assert QT.grade(td, "   ") == Grade(0.0)
    assert QT.grade(td, 5) == Grade(0.0)
    assert QT.grade(td, "x" * 10_001) == Grade(0.0)


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({}, ("answers",), "needs answers"),
        ({"answers": []}, ("answers",), "at least 1"),
        ({"answers": "Hải Phòng"}, ("answers",), "must be a list"),
        ({"answers": [{"text": "a", "credit": 50}]}, ("answers",), "full credit"),
        ({"answers": [{"text": ""}]}, ("answers", 0, "text"), "non-empty"),
        ({"answers": [{"text": 42}]}, ("answers", 0, "text"), "quotes"),
        ({"answers": [{"text": "a", "credit": 120}]}, ("answers", 0, "credit"), "at most 100"),
        ({"answers": [{"text": "a"}, {"text": "b", "credit": -5}]}, ("answers", 1, "credit"),
         "at least 0"),
        ({"answers": [{"text": "a", "weight": 1}]}, ("answers", 0, "weight"), "unknown field"),
        ({"answers": [{"text": "Hải Phòng"}, {"text": "Hải  Phòng"}]}, ("answers", 1, "text"),
         "duplicate"),
        ({"answers": ["Hải Phòng"]}, ("answers", 0), "must be a mapping"),
        ({"answers": [{"text": "a"}], "case_sensitive": "no"}, ("case_sensitive",), "true or"),
        ({"answers": [{"text": "a"}], "ignore_diacritics": 1}, ("ignore_diacritics",), "true or"),
        ({"answers": [{"text": "a"}], "wildcards": True}, ("wildcards",), "unknown field"),
    ],
)
def test_spec_errors(fields, path, message):
    type_data, errors = QT.normalise(fields)
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_case_variants_are_not_duplicates_when_case_sensitive():
    td = good([{"text": "HP"}, {"text": "hp", "credit": 50}], case_sensitive=True)
    assert QT.grade(td, "hp").fraction == 0.5


def test_parse_form():
    assert QT.parse_fields({"": ["  Hải\u00a0 Phòng  "]}) == "Hải Phòng"
    assert QT.parse_fields({"": [nfd("Hải Phòng")]}) == "Hải Phòng"
    assert QT.parse_fields({"": ["  "]}) is None
    assert QT.parse_fields({}) is None


def test_validate_response():
    td = good([{"text": "a"}])
    QT.validate_response(td, None)
    QT.validate_response(td, "x" * 10_000)
    for bad in ("x" * 10_001, 5, ["a"]):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == "too_long"


def test_present_and_correct_answer():
    td = good([{"text": "Hải Phòng"}, {"text": "HP", "feedback": "ok"}, {"text": "*", "credit": 0}])
    assert QT.present(td, 1, True) == {}
    assert QT.correct_answer(td) == {"answers": ["Hải Phòng", "HP"]}
