"""GIFT import and export (course_app.content.gift) against Moodle's own files and semantics."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from course_app.content.gift import ImportResult, LineError, export_gift, parse_gift
from course_app.domain.questions import get_type

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "moodle"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def only(text: str) -> dict:
    """The one question `text` holds (and no errors)."""
    result = parse_gift(text)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def error_of(text: str) -> LineError:
    result = parse_gift(text)
    assert result.questions == []
    assert len(result.errors) == 1
    return result.errors[0]


def assert_loadable(questions: list[dict]) -> None:
    """Every question passes its type's own validation (essays: only the rubric is missing)."""
    for question in questions:
        _, errors = get_type(question["type"]).normalise(question)
        if question["type"] == "essay":
            assert [e.path for e in errors] == [("rubric",)]
        else:
            assert errors == [], (question["key"], errors)


# --- Moodle's question/format/gift/tests/fixtures/questions.gift.txt ---------------------------


@pytest.fixture(scope="module")
def moodle_questions() -> ImportResult:
    return parse_gift(read("gift-questions.gift.txt"))


def test_moodle_fixture_holds_nine_questions(moodle_questions: ImportResult) -> None:
    # The README says 10, but the file holds 9 blocks and Moodle's own Behat test expects
    # "Importing 9 questions from file".
    assert moodle_questions.errors == []
    assert [(q["key"], q["type"]) for q in moodle_questions.questions] == [
        ("Q8", "essay"), ("Moodle-activities", "matching"), ("Q2", "single"),
        ("colours", "multiple"), ("Q5", "numeric"), ("Shortanswer", "short"),
        ("Q1", "true_false"), ("2-08-TSL", "true_false"), ("2-08-TSL-2", "true_false"),
    ]
    assert all(q["points"] == 1 for q in moodle_questions.questions)
    assert_loadable(moodle_questions.questions)


def test_moodle_fixture_essay(moodle_questions: ImportResult) -> None:
    assert moodle_questions.questions[0] == {
        "key": "Q8", "type": "essay", "text": "How are you?", "points": 1}
    assert LineError(2, "essay question: GIFT has no rubric; add a 'rubric' for the graders") \
        in moodle_questions.warnings


def test_moodle_fixture_matching_keeps_html_and_the_extra_answer(
        moodle_questions: ImportResult) -> None:
    question = moodle_questions.questions[1]
    assert question["text"] == "Match the <b>activity</b> to the description."
    assert question["pairs"] == [
        {"key": "p1", "prompt": "An activity supporting asynchronous discussions.",
         "answer": "Forum"},
        {"key": "p2", "prompt": "A teacher asks a question and specifies a choice of multiple "
                                "responses.", "answer": "Choice"},
        {"key": "p3", "prompt": "A bank of record entries which participants can add to.",
         "answer": "Database"},
        {"key": "p4", "prompt": "A collection of web pages that anyone can add to or edit.",
         "answer": "Wiki"},
    ]
    assert question["distractors"] == ["Chat"]
    format_warnings = [w for w in moodle_questions.warnings if w.line == 5]
    assert len(format_warnings) == 1
    assert "[html], [moodle], [plain]" in format_warnings[0].message


def test_moodle_fixture_single_choice_with_feedback(moodle_questions: ImportResult) -> None:
    assert moodle_questions.questions[2]["choices"] == [
        {"key": "a", "text": "yellow", "correct": True, "feedback": "right; good!"},
        {"key": "b", "text": "red", "correct": False, "feedback": "wrong, it's yellow"},
        {"key": "c", "text": "blue", "correct": False, "feedback": "wrong, it's yellow"},
    ]


def test_moodle_fixture_weighted_multiple_with_negative_weights(
        moodle_questions: ImportResult) -> None:
    question = moodle_questions.questions[3]
    assert question["text"] == "What's between orange and green in the spectrum?"
    assert question["choices"] == [
        {"key": "a", "text": "yellow", "correct": True, "weight": 50, "feedback": "right; good!"},
        {"key": "b", "text": "red", "correct": False, "weight": -100, "feedback": "wrong"},
        {"key": "c", "text": "off-beige", "correct": True, "weight": 50,
         "feedback": "right; good!"},
        {"key": "d", "text": "blue", "correct": False, "weight": -100, "feedback": "wrong"},
    ]


def test_moodle_fixture_numeric_with_tolerance(moodle_questions: ImportResult) -> None:
    question = moodle_questions.questions[4]
    assert (question["answer"], question["tolerance"]) == (3, 2)
    # Text follows the closing brace ('";'), so Moodle reads a "missing word" question.
    assert question["text"] == 'What is a number from 1 to 5? _____";'
    assert any(w.line == 31 and "'~#…') dropped" in w.message for w in moodle_questions.warnings)


def test_moodle_fixture_short_answer_with_wildcard(moodle_questions: ImportResult) -> None:
    assert moodle_questions.questions[5]["answers"] == [
        {"text": "Frog", "feedback": "Good!"},
        {"text": "Cat", "credit": 50, "feedback": "What is it with Moodlers and cats?"},
        {"text": "*", "credit": 0, "feedback": "Completely wrong"},
    ]


def test_moodle_fixture_true_false_with_general_feedback(moodle_questions: ImportResult) -> None:
    question = moodle_questions.questions[6]
    assert question["answer"] is False
    # {FALSE#shown for the wrong answer#shown for the right answer}: wrong = choosing true.
    assert question["feedback_true"] == "42 is the Ultimate Answer."
    assert question["feedback_false"] == "You gave the right answer."
    assert question["explanation"] == ("This is, of course, a Hitchiker's Guide to the Galaxy "
                                       "reference.")


def test_moodle_fixture_t_and_true(moodle_questions: ImportResult) -> None:
    short, long = moodle_questions.questions[7:]
    assert short == {"key": "2-08-TSL", "type": "true_false", "text": "TSL is blablabla.",
                     "points": 1, "answer": True}
    assert long == {**short, "key": "2-08-TSL-2"}


# --- Moodle's question/format/gift/examples.txt ------------------------------------------------

# What each block of examples.txt becomes, in order (comment-only blocks are skipped).
EXAMPLE_TYPES = [
    # examples from the class description (lines 8-16)
    "single", "single", "true_false", "short", "numeric",
    # ===Multiple Choice=== (25-39)
    "single", "single", "single", "single",
    # ===Short Answer=== (43, 45), ===True-False=== (49, 51), ===Matching=== (55, 61)
    "short", "short", "true_false", "true_false", "matching", "matching",
    # ===Numerical=== (70, 72, 74, 76) and the line-comment example (85)
    "numeric", "numeric", "numeric", "numeric", "numeric",
    # ===Question Name=== (90, 93), ===Feedback=== (98, 103), ===Specify text format=== (108)
    "short", "single", "single", "short", "short",
    # ===Percentage Answer Weights=== (113, 115, 117, 123)
    "true_false", "single", "single", "short",
    # ===Multiple Answers=== (130, 136), ===Special Characters=== (143, 148)
    "multiple", "multiple", "single", "single",
    # examples from gift/format.php (167-177)
    "single", "single", "true_false", "short", "numeric", "matching",
    # more complicated examples (184, 190, 195, 202)
    "single", "single", "short", "numeric",
]


@pytest.fixture(scope="module")
def examples() -> ImportResult:
    return parse_gift(read("gift-examples.txt"))


def test_examples_types_and_counts(examples: ImportResult) -> None:
    assert examples.errors == []
    assert [q["type"] for q in examples.questions] == EXAMPLE_TYPES
    assert Counter(EXAMPLE_TYPES) == {"single": 16, "short": 9, "numeric": 8, "true_false": 5,
                                      "matching": 3, "multiple": 2}
    assert_loadable(examples.questions)


def test_examples_keys_from_names_or_positions(examples: ImportResult) -> None:
    keys = [q["key"] for q in examples.questions]
    assert keys[:3] == ["q1", "q2", "q3"]
    assert keys[20:22] == ["Kanji-Origins", "Thanksgiving-Date"]
    assert "Jesus-hometown" in keys and "Jesus-hometown-2" in keys
    assert "Jesus-hometown-Short-answer-ex" in keys
    assert "GIFT-Control-Characters" in keys and "Grant-s-Tomb" in keys
    assert len(set(keys)) == len(keys)


def test_examples_missing_word_questions(examples: ImportResult) -> None:
    texts = [q["text"] for q in examples.questions]
    assert texts[1] == "Grant is _____ in Grant's tomb."
    assert texts[7] == ("The American holiday of Thanksgiving is celebrated on the _____ Thursday "
                        "of November.")
    assert texts[10] == "Two plus two equals _____."
    assert examples.questions[10]["answers"] == [{"text": "four"}, {"text": "4"}]
    assert texts[21] == ("The American holiday of Thanksgiving is\ncelebrated on the _____ "
                         "Thursday of November.")


def test_examples_numeric_forms(examples: ImportResult) -> None:
    numeric = [q for q in examples.questions if q["type"] == "numeric"]
    assert [(q.get("answer"), q.get("tolerance")) for q in numeric[:3]] == [
        (1822, 1), (1822, 0), (3.1415, 0.0005)]
    assert numeric[3]["answers"] == [{"min": 3.141, "max": 3.142}]
    assert numeric[4]["answers"] == [{"value": 1822, "tolerance": 0},
                                     {"value": 1822, "tolerance": 2, "credit": 50}]
    assert numeric[-1]["answers"] == [
        {"value": 1822, "tolerance": 0, "feedback": "Correct! 100% credit"},
        {"value": 1822, "tolerance": 2, "credit": 50,
         "feedback": "He was born in 1822.\nYou get 50% credit for being close."},
    ]


def test_examples_multiple_answers(examples: ImportResult) -> None:
    first, second = [q for q in examples.questions if q["type"] == "multiple"]
    assert [(c["text"], c["weight"], c["correct"]) for c in first["choices"]] == [
        ("No one", 0, False), ("Grant", 50, True), ("Grant's wife", 50, True),
        ("Grant's father", 0, False)]
    assert [c["weight"] for c in second["choices"]] == [-50, 50, 50, -50]


def test_examples_special_characters(examples: ImportResult) -> None:
    equals = examples.questions[31]
    assert [c["text"] for c in equals["choices"]] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = examples.questions[32]
    assert control["key"] == "GIFT-Control-Characters"
    assert [(c["text"], c["correct"]) for c in control["choices"]] == [
        ("~", False), ("=", False), ("#", False), ("{", False), ("}", False), ("\\", True)]
    assert control["choices"][0]["feedback"] == "~ is a control character."
    assert control["choices"][5]["feedback"].startswith(
        "Correct! \\ (backslash) is not a control character. BUT,\nit is used")


def test_examples_markdown_text_and_partial_credit_warnings(examples: ImportResult) -> None:
    assert examples.questions[24]["text"] == "Who's buried in **Grant's tomb**?"
    assert examples.questions[25]["feedback_true"] == "No one is buried in Grant's tomb."
    assert [w.line for w in examples.warnings] == [115, 117, 190]
    assert all("partial credit dropped" in w.message for w in examples.warnings)
    hometown = examples.questions[27]
    assert [c["correct"] for c in hometown["choices"]] == [False, False, False, True]


def test_examples_export_round_trip(examples: ImportResult) -> None:
    again = parse_gift(export_gift(examples.questions))
    assert again.errors == [] and again.warnings == []
    assert again.questions == examples.questions


# --- mapping rules ------------------------------------------------------------------------------


def test_single_choice() -> None:
    question = only("::Thủ đô::Thủ đô của Việt Nam?{=Hà Nội#Đúng ~Huế ~Đà Nẵng####Xem bài 1}")
    assert question == {
        "key": "Thu-do", "type": "single", "text": "Thủ đô của Việt Nam?", "points": 1,
        "choices": [{"key": "a", "text": "Hà Nội", "correct": True, "feedback": "Đúng"},
                    {"key": "b", "text": "Huế", "correct": False},
                    {"key": "c", "text": "Đà Nẵng", "correct": False}],
        "explanation": "Xem bài 1",
    }


def test_tilde_100_without_equals_is_multiple_as_in_moodle() -> None:
    question = only("Q?{~%100%right ~wrong ~%-50%bad}")
    assert question["type"] == "multiple"
    assert [(c["correct"], c["weight"]) for c in question["choices"]] == [
        (True, 100), (False, 0), (False, -50)]


def test_rounded_thirds_are_scaled_to_100() -> None:
    question = only("Q?{~%33.333%a ~%33.333%b ~%33.333%c ~%-100%d}")
    weights = [c["weight"] for c in question["choices"]]
    assert sum(weights[:3]) == pytest.approx(100, abs=1e-9)
    assert weights[3] == -100


@pytest.mark.parametrize(("source", "answer", "on_true", "on_false"), [
    ("Q?{T#wrong#right}", True, "right", "wrong"),
    ("Q?{TRUE#wrong}", True, None, "wrong"),
    ("Q?{F#wrong#right}", False, "wrong", "right"),
    ("Q?{FALSE##right}", False, None, "right"),
    ("Q?{false}", False, None, None),
])
def test_true_false_feedback_follows_moodle(source: str, answer: bool, on_true: str | None,
                                            on_false: str | None) -> None:
    question = only(source)
    assert question["type"] == "true_false" and question["answer"] is answer
    assert question.get("feedback_true") == on_true
    assert question.get("feedback_false") == on_false


def test_short_answer() -> None:
    question = only("Q?{=Hải Phòng =%50%Hai Phong#gần đúng =%0%*#sai}")
    assert question["answers"] == [
        {"text": "Hải Phòng"}, {"text": "Hai Phong", "credit": 50, "feedback": "gần đúng"},
        {"text": "*", "credit": 0, "feedback": "sai"}]


@pytest.mark.parametrize(("source", "fields"), [
    ("Q?{#5:0.5}", {"answer": 5, "tolerance": 0.5}),
    ("Q?{#-2.5}", {"answer": -2.5, "tolerance": 0}),
    ("Q?{#1..3}", {"answers": [{"min": 1, "max": 3}]}),
    ("Q?{#=5:0 =%50%5:1}", {"answers": [{"value": 5, "tolerance": 0},
                                        {"value": 5, "tolerance": 1, "credit": 50}]}),
    ("Q?{#=5#ok}", {"answers": [{"value": 5, "feedback": "ok"}]}),
    ("Q?{#5#ok}", {"answers": [{"value": 5, "feedback": "ok"}]}),
])
def test_numeric(source: str, fields: dict) -> None:
    question = only(source)
    assert question["type"] == "numeric"
    assert {k: v for k, v in question.items() if k in ("answer", "tolerance", "answers")} == fields


def test_matching() -> None:
    question = only("Ghép?{=Hà Nội -> thủ đô =Hải Phòng -> cảng =-> nhiễu}")
    assert question["pairs"] == [{"key": "p1", "prompt": "Hà Nội", "answer": "thủ đô"},
                                 {"key": "p2", "prompt": "Hải Phòng", "answer": "cảng"}]
    assert question["distractors"] == ["nhiễu"]


def test_essay_with_general_feedback() -> None:
    question = only("Viết một đoạn văn.{####Gợi ý}")
    assert question == {"key": "q1", "type": "essay", "text": "Viết một đoạn văn.", "points": 1,
                        "explanation": "Gợi ý"}


def test_description_is_skipped_with_a_warning() -> None:
    result = parse_gift("\n\nJust some text\n\nQ?{T}\n")
    assert [q["key"] for q in result.questions] == ["q1"]
    assert result.errors == []
    assert result.warnings[0].line == 3
    assert "description" in result.warnings[0].message


def test_escapes_are_unescaped() -> None:
    question = only(r"::a\:b::1 \= 1\: \{x\} \~ \# \\ line\nbreak{T}")
    assert question["text"] == "1 = 1: {x} ~ # \\ line\nbreak"
    assert question["key"] == "a-b"


def test_html_and_other_formats_kept_as_text() -> None:
    result = parse_gift("[html]<p>Một <b>câu</b></p>{=[plain]a ~[markdown]*b*}")
    question = result.questions[0]
    assert question["text"] == "<p>Một <b>câu</b></p>"
    assert [c["text"] for c in question["choices"]] == ["a", "*b*"]
    assert len(result.warnings) == 1 and "[html], [plain]" in result.warnings[0].message


def test_comments_and_category() -> None:
    text = "// header\n$CATEGORY: $course$/top/Module 1\n\n// c\nQ?{T}\n\n$CATEGORY: Other\nR?{F}"
    result = parse_gift(text)
    assert [q["text"] for q in result.questions] == ["Q?", "R?"]
    assert result.category == "Other"
    assert result.errors == [] and result.warnings == []


def test_keys_are_slugs_unique_and_fall_back_to_positions() -> None:
    text = "\n\n".join([
        "::Câu hỏi đầu tiên: Đối ngoại!::A{T}",
        "::Câu hỏi đầu tiên: Đối ngoại!::B{T}",
        "C{T}",
        "::q3::D{T}",
        "::" + "x" * 80 + "::E{T}",
        "::!!!::F{T}",
    ])
    keys = [q["key"] for q in parse_gift(text).questions]
    assert keys == ["Cau-hoi-dau-tien-Doi-ngoai", "Cau-hoi-dau-tien-Doi-ngoai-2", "q3", "q3-2",
                    "x" * 60, "q6"]


def test_crlf_and_bom() -> None:
    question = only("\ufeff// c\r\n::k::Q?\r\n{=a\r\n~b}\r\n")
    assert question["key"] == "k" and question["text"] == "Q?"


# --- errors: one per broken block, with its first line; good blocks are kept --------------------


@pytest.mark.parametrize(("block", "message"), [
    ("Q?{=a ~b", "missing closing '}'"),
    ("Q?=a ~b}", "missing opening '{'"),
    ("Q?} {=a ~b", "'}' comes before the opening '{'"),
    ("Q?{=a {~b}", "'{' inside the answer block"),
    ("Q?{=a ~b} and {=c ~d}", "more than one answer block"),
    ("{=a ~b}", "the question text is empty"),
    ("Q?{~a ~b}", "no correct answer marked"),
    ("Q?{=a ~b}x{", "more than one answer block"),
    ("Q?{~a}", "at least 2 answers"),
    ("Q?{=a ~}", "answer 2 is empty"),
    ("Q?{~%150%a ~b}", "outside -100…100"),
    ("Q?{~%50%a ~%40%b ~c}", "add up to 90%"),
    ("Q?{#abc}", "'abc' is not a number"),
    ("Q?{#3,5}", "use '.' as the decimal mark"),
    ("Q?{#5:-1}", "tolerance must not be negative"),
    ("Q?{#3..1}", "range 3..1 is empty"),
    ("Q?{#}", "needs an answer"),
    ("Q?{#=%50%5}", "no answer gives full credit"),
    ("Q?{=%50%a}", "no answer gives full credit"),
    ("Q?{=a -> b}", "at least 2 pairs"),
    ("Q?{=a -> b =c}", "has no '->'"),
    ("Q?{=a -> b =c -> }", "answer after '->' is empty"),
])
def test_broken_blocks(block: str, message: str) -> None:
    text = f"Good?{{T}}\n\n// comment\n{block}\n\nAlso good?{{F}}\n"
    result = parse_gift(text)
    assert [q["text"] for q in result.questions] == ["Good?", "Also good?"]
    assert len(result.errors) == 1
    assert result.errors[0].line == 4
    assert message in result.errors[0].message


# --- export -------------------------------------------------------------------------------------

ROUND_TRIP = [
    {"key": "single-1", "type": "single", "text": "Thủ đô: {Hà Nội} = 1# ~2 \\ 3?", "points": 1,
     "choices": [{"key": "a", "text": "[html]không phải HTML", "correct": False,
                  "feedback": "%50% sai ~ #"},
                 {"key": "b", "text": "%20% giảm", "correct": True, "feedback": "[plain]x"},
                 {"key": "c", "text": "a -> b", "correct": False}],
     "explanation": "Xem bài 2\ndòng hai"},
    {"key": "multiple_2", "type": "multiple", "text": "Chọn hai", "points": 1,
     "choices": [{"key": "a", "text": "A", "correct": True, "weight": 50, "feedback": "tốt"},
                 {"key": "b", "text": "%10% B", "correct": True, "weight": 50},
                 {"key": "c", "text": "C", "correct": False, "weight": -100},
                 {"key": "d", "text": "%5% D", "correct": False, "weight": 0},
                 {"key": "e", "text": "E", "correct": False, "weight": 0}]},
    {"key": "thirds", "type": "multiple", "text": "Ba", "points": 1,
     "choices": [{"key": "a", "text": "A", "correct": True, "weight": 100 / 3},
                 {"key": "b", "text": "B", "correct": True, "weight": 100 / 3},
                 {"key": "c", "text": "C", "correct": True, "weight": 100 / 3},
                 {"key": "d", "text": "D", "correct": False, "weight": -100}]},
    {"key": "tf-true", "type": "true_false", "text": "Đúng?", "points": 1, "answer": True,
     "feedback_true": "đúng #1", "feedback_false": "sai"},
    {"key": "tf-false", "type": "true_false", "text": "Sai?", "points": 1, "answer": False,
     "feedback_false": "chỉ đúng", "explanation": "vì vậy"},
    {"key": "tf-plain", "type": "true_false", "text": "T", "points": 1, "answer": False},
    {"key": "short", "type": "short", "text": "Thành phố?", "points": 1,
     "answers": [{"text": "Hải Phòng", "feedback": "đúng"}, {"text": "%50%"},
                 {"text": "Hai*", "credit": 50}, {"text": "*", "credit": 0, "feedback": "sai"}]},
    {"key": "numeric-simple", "type": "numeric", "text": "Số?", "points": 1, "answer": -2.5,
     "tolerance": 0.001},
    {"key": "numeric-list", "type": "numeric", "text": "Năm?", "points": 1,
     "answers": [{"value": 1822, "tolerance": 0, "feedback": "đúng"},
                 {"value": 1822, "tolerance": 2, "credit": 50},
                 {"min": 1e-05, "max": 3.5, "credit": 10},
                 {"value": 7}], "explanation": "giải thích"},
    {"key": "matching", "type": "matching", "text": "Ghép", "points": 1,
     "pairs": [{"key": "p1", "prompt": "[html]Hà Nội", "answer": "thủ đô -> miền Bắc"},
               {"key": "p2", "prompt": "Hải Phòng: cảng", "answer": "[plain] cảng = biển"}],
     "distractors": ["Huế", "#1"]},
    {"key": "essay", "type": "essay", "text": "Viết:\n\n- một\n- hai", "points": 1},
    {"key": "essay-2", "type": "essay", "text": "Viết", "points": 1, "explanation": "Gợi ý"},
]


def test_round_trip_every_type() -> None:
    text = export_gift(ROUND_TRIP)
    result = parse_gift(text)
    assert result.errors == []
    assert result.questions == ROUND_TRIP
    assert {q["type"] for q in ROUND_TRIP} == {"single", "multiple", "true_false", "short",
                                              "numeric", "matching", "essay"}


def test_export_shape() -> None:
    text = export_gift([ROUND_TRIP[0], ROUND_TRIP[3]])
    assert text == (
        "::single-1::[markdown]Thủ đô\\: \\{Hà Nội\\} \\= 1\\# \\~2 \\\\ 3?{\n"
        "\t~[markdown][html]không phải HTML#%50% sai \\~ \\#\n"
        "\t=%20% giảm#[markdown][plain]x\n"
        "\t~a -> b\n"
        "\t####Xem bài 2\\ndòng hai\n"
        "}\n\n"
        "::tf-true::[markdown]Đúng?{TRUE#sai#đúng \\#1}\n"
    )


def test_export_uses_vietnamese_text_and_default_weights() -> None:
    question = {"key": "m", "type": "multiple", "text": {"vi": "Chọn", "en": "Choose"},
                "choices": [{"key": "a", "text": {"vi": "Một", "en": "One"}, "correct": True},
                            {"key": "b", "text": "Hai", "correct": True},
                            {"key": "c", "text": "Ba", "correct": False}]}
    text = export_gift([question])
    assert "::m::[markdown]Chọn{" in text and "One" not in text
    parsed = only(text)
    assert [(c["text"], c["weight"]) for c in parsed["choices"]] == [
        ("Một", 50), ("Hai", 50), ("Ba", -50)]


def test_export_comments_what_gift_cannot_hold() -> None:
    questions = [
        {"key": "order", "type": "ordering", "text": "Xếp", "items": []},
        {"key": "e", "type": "essay", "text": "Viết", "points": 2, "rubric": "Tiêu chí"},
        {"key": "s", "type": "short", "text": "Q", "answers": [{"text": "a -> b"}]},
    ]
    text = export_gift(questions)
    assert text.startswith("// ordering question order not exportable to GIFT\n\n")
    assert "// e: rubric not kept (GIFT essays have none)\n" in text
    assert "// e: points: 2 (GIFT has no points; set the mark in Moodle)\n" in text
    assert "// short question s not exportable to GIFT: an answer contains '->'" in text
    result = parse_gift(text)
    assert [q["key"] for q in result.questions] == ["e"]
    assert result.errors == []


def test_export_nothing() -> None:
    assert export_gift([]) == ""
