"""Multiple-choice questions (Moodle weighted grading and all-or-nothing)."""

import json

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type

QT = get_type("multiple")
FORBIDDEN = ("correct", "weight", "feedback", "credit", "answer", "all_or_nothing")


def choices(*specs):
    """specs: (key, correct) or (key, correct, weight)."""
    result = []
    for spec in specs:
        entry = {"key": spec[0], "text": f"Lựa chọn {spec[0]}", "correct": spec[1]}
        if len(spec) > 2:
            entry["weight"] = spec[2]
        result.append(entry)
    return result


def normalise(*specs, **fields):
    return QT.normalise({"key": "m", "type": "multiple", "text": "?",
                         "choices": choices(*specs), **fields})


def good(*specs, **fields):
    type_data, errors = normalise(*specs, **fields)
    assert errors == []
    return type_data


def weights(type_data):
    return {c["key"]: c["weight"] for c in type_data["choices"]}


def messages(*specs, **fields):
    type_data, errors = normalise(*specs, **fields)
    assert type_data == {}
    return [(e.path, e.message) for e in errors]


def test_default_weights():
    td = good(("a", True), ("b", True), ("c", False), ("d", False))
    assert weights(td) == {"a": 50.0, "b": 50.0, "c": -50.0, "d": -50.0}
    assert td["all_or_nothing"] is False
    json.dumps(td)


def test_default_weights_with_one_correct():
    assert weights(good(("a", True), ("b", False))) == {"a": 100.0, "b": -100.0}


def test_explicit_weights():
    td = good(("a", True, 70), ("b", True, 30), ("c", False, -25), ("d", False))
    assert weights(td) == {"a": 70.0, "b": 30.0, "c": -25.0, "d": -50.0}


def test_three_correct_thirds_reach_full_marks():
    td = good(("a", True), ("b", True), ("c", True), ("d", False))
    assert QT.grade(td, ["a", "b", "c"]).fraction == 1.0


def test_grading_adds_weights_and_clamps():
    td = good(("a", True), ("b", True), ("c", False), ("d", False))
    assert QT.grade(td, ["a", "b"]).fraction == 1.0
    assert QT.grade(td, ["a"]).fraction == 0.5
    assert QT.grade(td, ["a", "c"]).fraction == 0.0
    assert QT.grade(td, ["c", "d"]).fraction == 0.0  # -100 clamps to 0
    assert QT.grade(td, ["a", "b", "c"]).fraction == 0.5
    assert QT.grade(td, ["a", "b", "c", "d"]).fraction == 0.0
    assert QT.grade(td, []).fraction == 0.0
    assert QT.grade(td, None) == Grade(0.0)


def test_grading_ignores_order_duplicates_and_unknown_keys():
    td = good(("a", True), ("b", True), ("c", False))
    assert QT.grade(td, ["b", "a", "a", "b"]).fraction == 1.0
    assert QT.grade(td, ["a", "zzz", 3]).fraction == 0.5
    assert QT.grade(td, "ab").fraction == 0.0


def test_all_or_nothing():
    td = good(("a", True), ("b", True), ("c", False), all_or_nothing=True)
    assert td["all_or_nothing"] is True
    assert QT.grade(td, ["a", "b"]).fraction == 1.0
    assert QT.grade(td, ["b", "a", "a"]).fraction == 1.0
    assert QT.grade(td, ["a"]).fraction == 0.0
    assert QT.grade(td, ["a", "b", "c"]).fraction == 0.0
    assert QT.grade(td, ["a", "b", "unknown"]).fraction == 1.0


def test_feedback_of_every_chosen_choice():
    raw_choices = choices(("a", True), ("b", True), ("c", False))
    raw_choices[0]["feedback"] = "Đúng"
    raw_choices[2]["feedback"] = {"vi": "Sai", "en": "Wrong"}
    td, errors = QT.normalise({"choices": raw_choices})
    assert errors == []
    assert QT.grade(td, ["c", "a"]).feedback == ({"vi": "Đúng"}, {"vi": "Sai", "en": "Wrong"})
    assert QT.grade(td, ["b"]).feedback == ()


@pytest.mark.parametrize(
    ("specs", "fields", "path", "message"),
    [
        ((("a", False), ("b", False)), {}, ("choices",), "at least one correct choice"),
        ((("a", True),), {}, ("choices",), "at least 2"),
        ((("a", True, 50), ("b", True, 40), ("c", False)), {}, ("choices",),
         "add up to 90%, so no answer can earn full marks"),
        ((("a", True, 60), ("b", True, 60)), {}, ("choices",), "add up to 120%"),
        ((("a", True, 100), ("b", True), ("c", False)), {}, ("choices",),
         "every correct choice or to none"),
        ((("a", True, 0), ("b", True, 100)), {}, ("choices", 0, "weight"), "positive weight"),
        ((("a", True), ("b", False, 10)), {}, ("choices", 1, "weight"),
         "wrong choice cannot have a positive weight"),
        ((("a", True), ("b", False, -150)), {}, ("choices", 1, "weight"), "at least -100"),
        ((("a", True, 150), ("b", False)), {}, ("choices", 0, "weight"), "at most 100"),
        ((("a", True, "50%"), ("b", False)), {}, ("choices", 0, "weight"), "must be a number"),
        ((("a", True, True), ("b", False)), {}, ("choices", 0, "weight"), "must be a number"),
        ((("a", True, float("nan")), ("b", False)), {}, ("choices", 0, "weight"), "finite"),
        ((("a", True), ("b", False, -50)), {"all_or_nothing": True}, ("choices", 1, "weight"),
         "cannot be combined with all_or_nothing"),
        ((("a", True), ("b", False)), {"all_or_nothing": "yes"}, ("all_or_nothing",),
         "true or false"),
        ((("a", True), ("b", False)), {"partial": True}, ("partial",), "unknown field"),
    ],
)
def test_spec_errors(specs, fields, path, message):
    found = messages(*specs, **fields)
    assert any(p == path and message in m for p, m in found), found


def test_round_trip_weighted_and_all_or_nothing():
    for td in (good(("a", True), ("b", True), ("c", True), ("d", False)),
               good(("a", True, 70), ("b", True, 30), ("c", False, -12.5)),
               good(("a", True), ("b", False), all_or_nothing=True)):
        authoring = QT.to_authoring(td)
        assert QT.normalise(authoring) == (td, [])
    assert "weight" not in QT.to_authoring(td)["choices"][0]


def test_parse_form_sorted_unique():
    assert QT.parse_fields({"": ["c", "a", "c", ""]}) == ["a", "c"]
    assert QT.parse_fields({"": [""]}) is None
    assert QT.parse_fields({}) is None
    assert QT.parse_fields({"": "b"}) == ["b"]


def test_validate_response():
    td = good(("a", True), ("b", True), ("c", False))
    QT.validate_response(td, None)
    QT.validate_response(td, ["a", "c"])
    QT.validate_response(td, [])
    for bad, code in ((["a", "x"], "unknown_choice"), (["a", 1], "unknown_choice"),
                      ("a", "unknown_choice"), ({"a": True}, "unknown_choice"),
                      (["a", "a"], "duplicate")):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == code


def test_present_never_leaks():
    td = good(("a", True, 70), ("b", True, 30), ("c", False, -40), all_or_nothing=False)
    for shuffle in (False, True):
        shown = QT.present(td, 11, shuffle)
        text = json.dumps(shown, ensure_ascii=False)
        assert all(f'"{word}' not in text for word in FORBIDDEN)
        assert "70" not in text and "-40" not in text
        assert sorted(c["key"] for c in shown["choices"]) == ["a", "b", "c"]
    assert QT.present(td, 11, True) == QT.present(td, 11, True)
    assert [c["key"] for c in QT.present(td, 11, False)["choices"]] == ["a", "b", "c"]


def test_correct_answer():
    td = good(("a", True), ("b", False), ("c", True))
    assert QT.correct_answer(td) == {"choices": ["a", "c"]}
