"""Matching questions."""

import json
import unicodedata

import pytest

from course_app.domain.questions import Grade, ResponseError, form_field_clashes, get_type

QT = get_type("matching")

PAIRS = [
    {"key": "hn", "prompt": "Hà Nội", "answer": {"vi": "Thủ đô", "en": "Capital"}},
    {"key": "hp", "prompt": "Hải Phòng", "answer": "Thành phố cảng"},
    {"key": "dn", "prompt": "Đà Nẵng", "answer": "Đầu mối miền Trung"},
]


def good(pairs=PAIRS, distractors=("An Giang", "Bắc Ninh")):
    raw = {"key": "m", "type": "matching", "text": "?", "pairs": pairs}
    if distractors is not None:
        raw["distractors"] = list(distractors)
    type_data, errors = QT.normalise(raw)
    assert errors == []
    return type_data


def test_canonical_form_sorts_options_by_folded_text():
    td = good()
    assert td["items"] == [{"key": "hn", "text": {"vi": "Hà Nội"}},
                           {"key": "hp", "text": {"vi": "Hải Phòng"}},
                           {"key": "dn", "text": {"vi": "Đà Nẵng"}}]
    # fold: an giang < bac ninh < dau moi... < thanh pho... < thu do ("Đ" sorts as "d")
    assert td["options"] == [
        {"key": "o1", "text": {"vi": "An Giang"}},
        {"key": "o2", "text": {"vi": "Bắc Ninh"}},
        {"key": "o3", "text": {"vi": "Đầu mối miền Trung"}},
        {"key": "o4", "text": {"vi": "Thành phố cảng"}},
        {"key": "o5", "text": {"vi": "Thủ đô", "en": "Capital"}},
    ]
    assert td["correct"] == {"hn": "o5", "hp": "o4", "dn": "o3"}
    json.dumps(td)


def test_shared_answers_become_one_option():
    pairs = [{"key": "a", "prompt": "Báo in", "answer": "Báo chí"},
             {"key": "b", "prompt": "Truyền hình", "answer": "Báo chí"},
             {"key": "c", "prompt": "Facebook", "answer": "Mạng xã hội"}]
    td = good(pairs, distractors=None)
    assert len(td["options"]) == 2
    assert td["correct"]["a"] == td["correct"]["b"]


def test_round_trip():
    for td in (good(), good(distractors=None), good(distractors=[])):
        assert QT.normalise(QT.to_authoring(td)) == (td, [])


def test_grade_counts_correct_items():
    td = good()
    assert QT.grade(td, {"hn": "o5", "hp": "o4", "dn": "o3"}) == Grade(1.0)
    assert QT.grade(td, {"hn": "o5", "hp": "o3", "dn": "o4"}).fraction == pytest.approx(1 / 3)
    assert QT.grade(td, {"hn": "o5", "hp": "o4"}).fraction == pytest.approx(2 / 3)
    assert QT.grade(td, {"hn": "o1", "hp": "o2", "dn": "o1"}).fraction == 0.0
    assert QT.grade(td, {"hn": "o5", "zz": "o4"}).fraction == pytest.approx(1 / 3)
    assert QT.grade(td, None) == Grade(0.0)
    assert QT.grade(td, ["o5"]) == Grade(0.0)


@pytest.mark.parametrize(
    ("pairs", "distractors", "path", "message"),
    [
        (None, None, ("pairs",), "needs pairs"),
        (PAIRS[:1], None, ("pairs",), "at least 2"),
        ([{**PAIRS[0], "key": "h n"}, PAIRS[1]], None, ("pairs", 0, "key"), "A-Z a-z 0-9 _ -"),
        ([PAIRS[0], {**PAIRS[1], "key": "hn"}], None, ("pairs", 1, "key"), "duplicate key"),
        ([{"key": "a", "answer": "x"}, PAIRS[1]], None, ("pairs", 0, "prompt"), "missing"),
        ([{"key": "a", "prompt": "x"}, PAIRS[1]], None, ("pairs", 0, "answer"), "missing"),
        ([{**PAIRS[0], "text": "x"}, PAIRS[1]], None, ("pairs", 0, "text"), "unknown field"),
        ([PAIRS[0], {**PAIRS[1], "prompt": "Hà Nội"}], None, ("pairs", 1, "prompt"),
         "appears twice"),
        ([PAIRS[0], {**PAIRS[1], "answer": {"vi": "Thủ đô", "en": "Capital city"}}], None,
         ("pairs", 1, "answer"), "share the Vietnamese text"),
        ([PAIRS[0], {**PAIRS[1], "answer": "Thủ đô"}], None, ("pairs", 1, "answer"),
         "share the Vietnamese text"),
        ([PAIRS[0], {**PAIRS[1], "answer": PAIRS[0]["answer"]}], None, ("pairs",),
         "at least 2 different answers"),
        (PAIRS, ["Thủ đô"], ("distractors", 0), "already an answer"),
        (PAIRS, ["X", "X"], ("distractors", 1), "already another distractor"),
        (PAIRS, "X", ("distractors",), "must be a list"),
        (PAIRS, [7], ("distractors", 0), "quotes"),
        ("hn: Hà Nội", None, ("pairs",), "must be a list"),
    ],
)
def test_spec_errors(pairs, distractors, path, message):
    raw = {"pairs": pairs}
    if distractors is not None:
        raw["distractors"] = distractors
    type_data, errors = QT.normalise(raw)
    assert type_data == {}
    assert any(e.path == path and message in e.message for e in errors), errors


def test_nfd_answers_are_normalised():
    pairs = [{"key": "a", "prompt": "A", "answer": unicodedata.normalize("NFD", "Cảng")},
             {"key": "b", "prompt": "B", "answer": "Núi"}]
    td = good(pairs, distractors=["Cảng biển"])
    assert [o["text"]["vi"] for o in td["options"]] == ["Cảng", "Cảng biển", "Núi"]


def test_parse_form():
    form = {"hn": ["o5"], "hp": [""], "dn": [" o3 "], "": ["x"], "x-y": ["o2"],
            "bad key!": ["o1"]}
    assert QT.parse_fields(form) == {"hn": "o5", "dn": "o3", "x-y": "o2"}
    assert QT.parse_fields({"hp": [""]}) is None
    assert QT.parse_fields({}) is None


def test_parse_form_item_keys_with_hyphen():
    from course_app.quiz.forms import read_answers

    form = {"q-m1-q11-nguon-luc": ["o1"], "q-m1-q11-y": ["o2"], "q-m1": ["x"]}
    fields = read_answers(form, ["m1", "m1-q11"]).fields_of("m1-q11")
    assert QT.parse_fields(fields) == {"nguon-luc": "o1", "y": "o2"}


def test_clashing_question_keys_are_found():
    from course_app.domain.questions import form_field_clashes

    assert form_field_clashes([("a", "matching"), ("a-b", "single")]) == ["a-b"]
    assert form_field_clashes([("a", "single"), ("a-b", "single")]) == []


def test_validate_response():
    td = good()
    QT.validate_response(td, None)
    QT.validate_response(td, {})
    QT.validate_response(td, {"hn": "o1", "hp": "o1"})
    for bad, code in (({"zz": "o1"}, "unknown_item"), ({"hn": "o9"}, "unknown_choice"),
                      ({"hn": 1}, "unknown_choice"), (["o1"], "unknown_item"),
                      ("hn", "unknown_item")):
        with pytest.raises(ResponseError) as info:
            QT.validate_response(td, bad)
        assert info.value.code == code


def test_present_never_leaks_and_shuffles_options():
    td = good()
    shown = QT.present(td, 3, False)
    assert set(shown) == {"items", "options"}
    assert [i["key"] for i in shown["items"]] == ["hn", "hp", "dn"]
    assert sorted(o["key"] for o in shown["options"]) == ["o1", "o2", "o3", "o4", "o5"]
    text = json.dumps(shown, ensure_ascii=False)
    assert "correct" not in text and "answer" not in text and "pairs" not in text
    assert QT.present(td, 3, True) == QT.present(td, 3, True)
    option_orders = {tuple(o["key"] for o in QT.present(td, s, False)["options"])
                     for s in range(30)}
    assert len(option_orders) > 5
    item_orders = {tuple(i["key"] for i in QT.present(td, s, True)["items"]) for s in range(30)}
    assert len(item_orders) > 2


def test_present_never_lines_options_up_with_items():
    pairs = [{"key": "a", "prompt": "A", "answer": "1"}, {"key": "b", "prompt": "B", "answer": "2"}]
    td = good(pairs, distractors=None)
    for seed in range(100):
        for shuffle in (False, True):
            shown = QT.present(td, seed, shuffle)
            lined = [td["correct"][i["key"]] for i in shown["items"]]
            assert [o["key"] for o in shown["options"]] != lined


def test_correct_answer():
    assert QT.correct_answer(good()) == {"pairs": {"hn": "o5", "hp": "o4", "dn": "o3"}}


def test_form_field_clashes_between_question_keys():
    questions = [("a", "matching"), ("a-b", "single"), ("a-b-c", "essay"), ("b", "single"),
                 ("o", "ordering"), ("o2", "single"), ("s", "single"), ("s-1", "single")]
    assert form_field_clashes(questions) == ["a-b", "a-b-c"]
    assert form_field_clashes([]) == []
