"""Ordering questions."""

import json

import pytest

from course_app.domain.questions import Grade, ResponseError, get_type
from course_app.domain.questions.ordering import gives_order_away

QT = get_type("ordering")
ITEMS = [{"key": "plan", "text": "Lập kế hoạch"}, {"key": "act", "text": "Thực hiện"},
         {"key": "check", "text": "Kiểm tra"}, {"key": "fix", "text": "Điều chỉnh"}]
RIGHT = {"plan": 1, "act": 2, "check": 3, "fix": 4}


def good(items=ITEMS, **fields):
    type_data, errors = QT.normalise({"key": "o", "type": "ordering", "text": "?",
                                      "items": items, **fields})
    assert errors == []
    return type_data


def test_canonical_form():
    td = good()
    assert td == {"items": [{"key": i["key"], "text": {"vi": i["text"]}} for i in ITEMS],
                  "partial": False}
    json.dumps(td)
    assert good(partial=True)["partial"] is True


def test_round_trip():
    for td in (good(), good(partial=True)):
        assert QT.normalise(QT.to_authoring(td)) == (td, [])


@pytest.mark.parametrize(
    ("keys", "sorted_"),
    [(["a", "b", "c"], True), (["A", "b", "C"], True), (["1", "2", "10"], True),
     (["step1", "step2", "step10"], True), (["x", "y", "z"], True), (["b", "a", "c"], False),
     (["plan", "act", "check"], False), (["c", "b", "a"], False)],
)
def test_gives_order_away(keys, sorted_):
    assert gives_order_away(keys) is sorted_


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({}, ("items",), "needs items"),
        ({"items": ITEMS[:2]}, ("items",), "at least 3"),
        ({"items": [{"key": k, "text": k.upper()} for k in "abc"]}, ("items",), "give it away"),
        ({"items": [{"key": k, "text": k} for k in ("1", "2", "3")]}, ("items",), "give it away"),
        ({"items": [{"key": k, "text": k} for k in (1, 2, 3)]}, ("items",), "give it away"),
        ({"items": [*ITEMS[:2], {"key": "plan", "text": "x"}]}, ("items", 2, "key"), "duplicate"),
        ({"items": [*ITEMS[:2], {"key": "x y", "text": "x"}]}, ("items", 2, "key"), "A-Z"),
        ({"items": [*ITEMS[:2], {"key": "z"}]}, ("items", 2, "text"), "missing"),
        ({"items": [*ITEMS[:2], {"key": "z", "text": "Thực hiện"}]}, ("items", 2, "text"),
         "appears twice"),
        ({"items": [*ITEMS[:2], {"key": "z", "text": "t", "correct": 3}]},
         ("items", 2, "correct"), "unknown field"),
        ({"items": [*ITEMS[:2], "z"]}, ("items", 2), "must be a mapping"),
        ({"items": ITEMS, "partial": "yes"}, ("partial",), "true or false"),
        ({"items": ITEMS, "shuffle": True}, ("shuffle",), "unknown field"),
    ],
)
def test_spec_errors(fields, path, message):
    type_data, errors = QT.normalise(fields)
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_all_or_nothing_by_default():
    td = good()
    assert QT.grade(td, RIGHT) == Grade(1.0)
    assert QT.grade(td, {**RIGHT, "check": 4, "fix": 3}) == Grade(0.0)
    assert QT.grade(td, {"plan": 1, "act": 2, "check": 3}) == Grade(0.0)
    assert QT.grade(td, None) == Grade(0.0)


def test_partial_credit_by_position():
    td = good(partial=True)
    assert QT.grade(td, RIGHT).fraction == 1.0
    assert QT.grade(td, {**RIGHT, "check": 4, "fix": 3}).fraction == 0.5
    assert QT.grade(td, {"plan": 1}).fraction == 0.25
    assert QT.grade(td, {"plan": 2, "act": 1, "check": 4, "fix": 3}).fraction == 0.0
    assert QT.grade(td, {k: 1 for k in RIGHT}).fraction == 0.25  # duplicates cannot inflate


def test_grade_ignores_bad_positions():
    td = good(partial=True)
    assert QT.grade(td, {"plan": "1", "act": True, "check": 3.0, "fix": 4}).fraction == 0.25
    assert QT.grade(td, ["plan", "act"]) == Grade(0.0)


def test_parse_form():
    form = {"plan": ["1"], "act": [" 2 "], "check": [""], "fix": ["x"],
            "big": ["99999999"], "": ["3"]}
    assert QT.parse_fields(form) == {"plan": 1, "act": 2, "fix": "x", "big": "99999999"}
    assert QT.parse_fields({"plan": [""]}) is None


def test_validate_response():
    td = good()
    QT.validate_response(td, None)
    QT.validate_response(td, RIGHT)
    QT.validate_response(td, {"plan": 4})
    cases = [({"zz": 1}, "unknown_item"), ({"plan": 0}, "bad_position"),
             ({"plan": 5}, "bad_position"), ({"plan": "1"}, "bad_position"),
             ({"plan": True}, "bad_position"), ({"plan": 1.0}, "bad_position"),
             ({"plan": 1, "act": 1}, "duplicate"), ([1, 2, 3, 4], "bad_position")]
    for bad, code in cases:
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == code


def test_present_is_always_shuffled_and_never_in_the_right_order():
    three = good(ITEMS[:3])
    right = [i["key"] for i in ITEMS[:3]]
    seen = set()
    for seed in range(200):
        for shuffle in (False, True):
            order = [i["key"] for i in QT.present(three, seed, shuffle)["items"]]
            assert order != right and sorted(order) == sorted(right)
            seen.add(tuple(order))
    assert len(seen) == 5  # every other permutation of three items shows up
    assert QT.present(three, 8, False) == QT.present(three, 8, True)


def test_present_never_leaks():
    shown = QT.present(good(partial=True), 1, False)
    assert set(shown) == {"items"}
    assert all(set(item) == {"key", "text"} for item in shown["items"])
    text = json.dumps(shown)
    assert "partial" not in text and "order" not in text and "position" not in text


def test_correct_answer():
    assert QT.correct_answer(good()) == {"order": ["plan", "act", "check", "fix"]}
