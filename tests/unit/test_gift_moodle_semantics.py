"""GIFT as Moodle reads it (issue 16): a multiple-choice question with several '=' answers is
Moodle's single-answer multichoice where each of them earns full credit, and every question of
Moodle's own GIFT files, and every form Moodle's GIFT format accepts, imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_app.content.gift import parse_gift
from course_app.domain.questions import get_type

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "tests" / "fixtures" / "moodle", ROOT.parent / "shared" / "fixtures" / "moodle",
           Path("/work/shared/fixtures/moodle")]


def loaded(question: dict) -> dict:
    type_data, errors = get_type(question["type"]).normalise(question)
    if question["type"] == "essay":
        assert [e.path for e in errors] == [("rubric",)]
    else:
        assert errors == [], (question, errors)
    return type_data


def test_several_equals_answers_each_earn_full_credit():
    result = parse_gift("Thành phố nào trực thuộc trung ương? {=Hải Phòng#Đúng =Cần Thơ ~Huế}")
    assert result.errors == []
    [question] = result.questions
    assert question["type"] == "single"
    assert [c["correct"] for c in question["choices"]] == [True, True, False]
    type_data = loaded(question)
    kind = get_type("single")
    assert kind.grade(type_data, "a").fraction == 1.0
    assert kind.grade(type_data, "a").feedback == ({"vi": "Đúng"},)
    assert kind.grade(type_data, "b").fraction == 1.0
    assert kind.grade(type_data, "c").fraction == 0.0


@pytest.mark.parametrize(("text", "kind"), [
    ("Q? {=a =b ~c}", "single"),
    ("Q? {=a =%50%b ~c}", "single"),  # Moodle: '=' first wins, the rest is the answer's text
    ("Q? {~a =b}", "single"),
    ("Moodle costs {~lots =nothing} to download.", "single"),
    ("Q? {=a ~b ####General feedback}", "single"),
    ("Q? {~%50%a ~%50%b ~%-100%c}", "multiple"),
    ("Q? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}", "multiple"),
    ("Q? {=a =b}", "short"),
    ("Two plus two? {=four =%50%4 =%0%five}", "short"),
    ("When was Ulysses born? {#=1822:0 =%50%1822:2}", "numeric"),
    ("Between 1 and 5? {#1..5}", "numeric"),
    ("Pi? {#3.14159:0.0005}", "numeric"),
    ("Sun rises east {T#wrong#right}", "true_false"),
    ("Q {TRUE####general}", "true_false"),
    ("Match {=a -> 1 =b -> 2 =c -> 3 = -> 4}", "matching"),
    ("[html]<p>Q?</p>{=<b>a</b> ~b}", "single"),
    ("[markdown]**Q**? {=a ~b}", "single"),
    ("Is 1 \\= 1? {=yes \\{really\\} ~no}", "single"),
    ("$CATEGORY: tom/x\n\nQ? {=a ~b}", "single"),
    ("Write {}", "essay"),
])
def test_forms_moodle_accepts_import(text, kind):
    result = parse_gift(text)
    assert result.errors == []
    assert [q["type"] for q in result.questions] == [kind]
    loaded(result.questions[0])


@pytest.mark.parametrize("name", ["gift-examples.txt", "gift-questions.gift.txt"])
def test_every_question_of_moodles_own_files_imports(name):
    folders = [folder for folder in FOLDERS if (folder / name).exists()]
    assert folders, name
    for folder in folders:
        result = parse_gift((folder / name).read_text(encoding="utf-8"))
        assert result.errors == [], (folder, result.errors)
        assert result.questions
        for question in result.questions:
            loaded(question)
