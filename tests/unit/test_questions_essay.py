"""Essay questions."""

import json

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type

QT = get_type("essay")
RUBRIC = {"vi": "Nêu đủ 3 ý chính", "en": "Three main points"}


def good(**fields):
    type_data, errors = QT.normalise({"key": "e", "type": "essay", "text": "?", "rubric": RUBRIC,
                                      **fields})
    assert errors == []
    return type_data


def test_canonical_form():
    assert QT.manual is True
    assert good() == {"rubric": RUBRIC, "min_words": None, "max_words": None}
    assert good(min_words=50, max_words=300) == {"rubric": RUBRIC, "min_words": 50,
                                                 "max_words": 300}
    assert good(min_words=10, max_words=10)["max_words"] == 10


def test_round_trip():
    for td in (good(), good(min_words=5), good(max_words=9), good(min_words=1, max_words=2)):
        assert QT.normalise(QT.to_authoring(td)) == (td, [])
    assert QT.to_authoring(good()) == {"rubric": RUBRIC}


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({"rubric": None}, ("rubric",), "rubric is missing"),
        ({"rubric": {"en": "x"}}, ("rubric", "vi"), "missing"),
        ({"min_words": 0}, ("min_words",), "at least 1"),
        ({"min_words": 2.5}, ("min_words",), "whole number"),
        ({"max_words": "100"}, ("max_words",), "whole number"),
        ({"max_words": True}, ("max_words",), "whole number"),
        ({"min_words": 10, "max_words": 5}, ("min_words",), "greater than max_words"),
        ({"answer": "x"}, ("answer",), "unknown field"),
    ],
)
def test_spec_errors(fields, path, message):
    type_data, errors = QT.normalise({"rubric": RUBRIC, **fields})
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_grade_needs_a_trainer():
    td = good()
    assert QT.grade(td, "Bài làm của tôi") == Grade(0.0, needs_manual=True)


def test_blank_essay_does_not_wait_for_a_trainer():
    td = good()
    assert QT.grade(td, None) == Grade(0.0, needs_manual=False)
    assert QT.grade(td, "  \n ") == Grade(0.0, needs_manual=False)


def test_parse_form_keeps_raw_text():
    text = "  Dòng 1\n\n  Dòng 2  "
    assert QT.parse_fields({"": [text]}) == text
    assert QT.parse_fields({"": [" \n "]}) is None
    assert QT.parse_fields({}) is None


def test_validate_response():
    td = good(max_words=3)
    QT.validate_response(td, None)
    QT.validate_response(td, "x" * 50_000)
    QT.validate_response(td, "more than three words here")  # word limits are shown, not enforced
    for bad in ("x" * 50_001, 3, ["a"]):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == "too_long"


def test_present_does_not_show_the_rubric():
    td = good(min_words=20, max_words=200)
    shown = QT.present(td, 1, True)
    assert shown == {"min_words": 20, "max_words": 200}
    assert "Nêu" not in json.dumps(shown, ensure_ascii=False)


def test_correct_answer_is_the_rubric():
    assert QT.correct_answer(good()) == {"rubric": RUBRIC}
