"""Single-choice questions."""

import contextlib
import dataclasses
import json
import unicodedata

import pytest

from course_app.domain.questions import QUESTION_TYPES, Grade, ResponseError, SpecError, get_type

QT = get_type("single")
FORBIDDEN = ("correct", "weight", "feedback", "credit", "answer")


def raw(**fields):
    base = {
        "key": "q1", "type": "single", "text": "Câu hỏi?", "points": 2, "explanation": "Xem bài 1",
        "choices": [
            {"key": "a", "text": {"vi": "Hà Nội", "en": "Hanoi"}, "correct": True,
             "feedback": {"vi": "Đúng rồi", "en": "Right"}},
            {"key": "b", "text": "Hải Phòng"},
            {"key": "c", "text": "Đà Nẵng", "correct": False, "feedback": "Chưa đúng"},
        ],
    }
    base.update(fields)
    return base


def good():
    type_data, errors = QT.normalise(raw())
    assert errors == []
    return type_data


def errors_of(**fields):
    type_data, errors = QT.normalise(raw(**fields))
    assert type_data == {}
    return errors


def test_registry():
    assert QT is QUESTION_TYPES["single"]
    assert QT.name == "single" and QT.manual is False
    with pytest.raises(KeyError, match="unknown question type"):
        get_type("cloze")


def test_canonical_form():
    assert good() == {"choices": [
        {"key": "a", "text": {"vi": "Hà Nội", "en": "Hanoi"}, "correct": True,
         "feedback": {"vi": "Đúng rồi", "en": "Right"}},
        {"key": "b", "text": {"vi": "Hải Phòng"}, "correct": False},
        {"key": "c", "text": {"vi": "Đà Nẵng"}, "correct": False, "feedback": {"vi": "Chưa đúng"}},
    ]}
    json.dumps(good())


def test_nfd_text_is_normalised_and_int_keys_become_strings():
    choices = [{"key": 1, "text": unicodedata.normalize("NFD", "Hải Phòng"), "correct": True},
               {"key": 2, "text": "Khác"}]
    type_data, errors = QT.normalise(raw(choices=choices))
    assert errors == []
    assert type_data["choices"][0] == {"key": "1", "text": {"vi": "Hải Phòng"}, "correct": True}


@pytest.mark.parametrize(
    ("choices", "path", "message"),
    [
        (None, ("choices",), "needs choices"),
        ("a, b", ("choices",), "must be a list"),
        ([{"key": "a", "text": "A", "correct": True}], ("choices",), "at least 2"),
        ([{"key": "a", "text": "A"}, {"key": "b", "text": "B"}], ("choices",),
         "at least one correct choice (found 0)"),
        ([{"key": "a", "text": "A", "correct": True}, {"key": "a", "text": "B"}],
         ("choices", 1, "key"), "duplicate key 'a'"),
        ([{"key": "a b", "text": "A", "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "key"), "must be 1-64 characters"),
        ([{"key": True, "text": "A", "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "key"), "quotes"),
        ([{"text": "A", "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "key"), "must be a string"),
        ([{"key": "a", "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "text"), "text is missing"),
        ([{"key": "a", "text": 1945, "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "text"), "quotes"),
        ([{"key": "a", "text": {"en": "A"}, "correct": True}, {"key": "b", "text": "B"}],
         ("choices", 0, "text", "vi"), "Vietnamese text (vi) is missing"),
        ([{"key": "a", "text": "A", "correct": "yes"}, {"key": "b", "text": "B"}],
         ("choices", 0, "correct"), "true or false"),
        ([{"key": "a", "text": "A", "correct": True, "weight": 100}, {"key": "b", "text": "B"}],
         ("choices", 0, "weight"), "unknown field 'weight'"),
        ([{"key": "a", "text": "A", "correct": True, "feedback": 3}, {"key": "b", "text": "B"}],
         ("choices", 0, "feedback"), "feedback"),
        (["A", {"key": "b", "text": "B", "correct": True}], ("choices", 0), "must be a mapping"),
    ],
)
def test_spec_errors(choices, path, message):
    errors = errors_of(choices=choices)
    assert any(e.path == path and message in e.message for e in errors), errors


def test_unknown_top_level_field():
    assert errors_of(shuffle=True) == [
        SpecError(("shuffle",), "unknown field 'shuffle' in a single-choice question")]


def test_common_fields_are_ignored():
    type_data, errors = QT.normalise({"choices": raw()["choices"]})
    assert errors == [] and type_data == good()


def test_round_trip():
    type_data = good()
    assert QT.normalise(QT.to_authoring(type_data)) == (type_data, [])


def test_parse_form():
    assert QT.parse_fields({"": ["b"]}) == "b"
    assert QT.parse_fields({"": ["b", "c"]}) == "b"
    assert QT.parse_fields({"": "c"}) == "c"
    assert QT.parse_fields({"": [""]}) is None
    assert QT.parse_fields({"": []}) is None
    assert QT.parse_fields({"q2": ["a"]}) is None


def test_validate_response():
    QT.validate_response(good(), None)
    QT.validate_response(good(), "a")
    for bad in ("z", "", ["a"], 1, {"a": 1}):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(good(), bad)
        assert info.value.code == "unknown_choice"


def test_grade():
    td = good()
    assert QT.grade(td, "a") == Grade(1.0, False, ({"vi": "Đúng rồi", "en": "Right"},))
    assert QT.grade(td, "b") == Grade(0.0)
    assert QT.grade(td, "c") == Grade(0.0, feedback=({"vi": "Chưa đúng"},))
    assert QT.grade(td, None) == Grade(0.0)
    assert QT.grade(td, "zzz") == Grade(0.0)
    assert QT.grade(td, ["a"]) == Grade(0.0)


def test_present_never_leaks():
    td = good()
    for shuffle in (False, True):
        shown = QT.present(td, 5, shuffle)
        text = json.dumps(shown, ensure_ascii=False)
        assert all(f'"{word}' not in text for word in FORBIDDEN)
        assert "Đúng rồi" not in text and "Chưa đúng" not in text
        assert all(set(c) == {"key", "text"} for c in shown["choices"])


def test_present_order():
    td = good()
    assert [c["key"] for c in QT.present(td, 5, False)["choices"]] == ["a", "b", "c"]
    assert QT.present(td, 5, True) == QT.present(td, 5, True)
    orders = {tuple(c["key"] for c in QT.present(td, seed, True)["choices"]) for seed in range(30)}
    assert len(orders) > 3


def test_present_does_not_alias_type_data():
    td = good()
    QT.present(td, 1, False)["choices"][0]["text"]["vi"] = "changed"
    assert td["choices"][0]["text"]["vi"] == "Hà Nội"


def test_correct_answer():
    assert QT.correct_answer(good()) == {"choices": ["a"]}


def test_response_error_is_a_frozen_exception_that_survives_context_managers():
    @contextlib.contextmanager
    def managed():
        yield

    with pytest.raises(ResponseError) as info, managed():
        raise ResponseError("unknown_choice", "no choice 'z'")
    error = info.value
    assert (error.code, error.detail) == ("unknown_choice", "no choice 'z'")
    assert str(error) == "unknown_choice: no choice 'z'"
    assert str(ResponseError("duplicate")) == "duplicate"
    with pytest.raises(dataclasses.FrozenInstanceError):
        error.code = "other"


def test_several_correct_choices_each_earn_full_credit():
    """Moodle's single-answer multichoice with several '=' answers (issue 16)."""
    type_data, errors = QT.normalise(raw(choices=[
        {"key": "a", "text": "A", "correct": True}, {"key": "b", "text": "B", "correct": True},
        {"key": "c", "text": "C"}]))
    assert errors == []
    assert QT.grade(type_data, "a").fraction == 1.0 and QT.grade(type_data, "b").fraction == 1.0
    assert QT.grade(type_data, "c").fraction == 0.0
    assert QT.correct_answer(type_data) == {"choices": ["a", "b"]}
