"""Aiken import (course_app.content.aiken) against Moodle's own files and semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_app.content.aiken import parse_aiken
from course_app.content.gift import LineError
from course_app.content.markdown import render
from course_app.domain.questions import get_type

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "moodle"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_moodle_questions_fixture() -> None:
    result = parse_aiken(read("aiken-questions.txt"))
    assert result.errors == [] and result.warnings == [] and result.category is None
    first, second = result.questions
    assert first == {
        "key": "q1", "type": "single", "text": "The Moodle project was started by:", "points": 1,
        "choices": [{"key": "a", "text": "Petr Skoda", "correct": False},
                    {"key": "b", "text": "Martin Dougiamas", "correct": True},
                    {"key": "c", "text": "Eloy Lafuente", "correct": False},
                    {"key": "d", "text": "Tim Hunt", "correct": False}],
    }
    assert second["key"] == "q2"
    assert [(c["text"], c["correct"]) for c in second["choices"]] == [
        ("True", True), ("False", False)]
    for question in result.questions:
        assert get_type("single").normalise(question)[1] == []


def test_html_special_characters_show_as_text() -> None:
    question = parse_aiken(read("aiken-questions.txt")).questions[1]
    assert question["text"] == ("Moodle's abilities include handling user input that includes "
                                "&lt;html class=\"cool\"&gt; &amp; images:")
    # Rendered, the reader sees the characters as typed (unescaped, the tag would vanish).
    assert '&lt;html class="cool"&gt; &amp; images:</p>' in render(question["text"])


def test_moodle_errors_fixture() -> None:
    result = parse_aiken(read("aiken-errors.txt"))
    assert [q["text"] for q in result.questions] == ["A good question", "A second good question"]
    good, second = result.questions
    assert [(c["text"], c["correct"]) for c in good["choices"]] == [
        ("Correct", True), ("Incorrect", False)]
    assert [(c["text"], c["correct"]) for c in second["choices"]] == [
        ("Incorrect (No space)", False), ("Correct (No space)", True)]
    assert [q["key"] for q in result.questions] == ["q1", "q2"]
    assert result.errors == [
        LineError(1, "a question needs at least 2 choices (found 1)"),
        LineError(5, "choice or ANSWER line without a question before it "
                     "(a question starts with its text line)"),
        LineError(14, "question not finished: no 'ANSWER:' line after its choices"),
    ]


def test_dot_labels_multi_line_text_and_crlf() -> None:
    text = ("\ufeffCâu hỏi dài\r\ndòng hai?\r\nA. Một\r\nB. Hai & ba\r\nC. <b>\r\nANSWER: C\r\n")
    result = parse_aiken(text)
    assert result.errors == []
    question = result.questions[0]
    assert question["text"] == "Câu hỏi dài\ndòng hai?"
    assert [c["text"] for c in question["choices"]] == ["Một", "Hai &amp; ba", "&lt;b&gt;"]
    assert [c["correct"] for c in question["choices"]] == [False, False, True]


@pytest.mark.parametrize(("block", "message"), [
    ("Q?\nA) a\nB) b\nANSWER: E", "ANSWER E matches none of the choices (A, B)"),
    ("Q?\nA) a\nB) b\nANSWER: yes", "must give the letter of the right choice"),
    ("Q?\nA) a\nA) b\nANSWER: A", "choice letter A is used twice"),
    ("Q?\nA) a\nB)\nANSWER: A", "choice B has no text"),
    ("Q?\nANSWER: A", "at least 2 choices (found 0)"),
    ("Q?", "no choices (A) …) and no 'ANSWER:' line"),
    ("Q?\nA) a\nB) b", "no 'ANSWER:' line after its choices"),
    ("A) a\nB) b\nANSWER: A", "without a question before it"),
])
def test_broken_questions(block: str, message: str) -> None:
    text = f"Good?\nA) x\nB) y\nANSWER: A\n\n{block}\n\nAlso good?\nA) x\nB) y\nANSWER: B\n"
    result = parse_aiken(text)
    assert [q["text"] for q in result.questions] == ["Good?", "Also good?"]
    assert result.questions[1]["choices"][1]["correct"] is True
    assert len(result.errors) == 1
    assert result.errors[0].line == 6  # the first line of the broken question
    assert message in result.errors[0].message


def test_answer_with_trailing_label_punctuation() -> None:
    result = parse_aiken("Q?\nA) a\nB) b\nANSWER: B)\n")
    assert result.errors == []
    assert result.questions[0]["choices"][1]["correct"] is True


def test_empty_input() -> None:
    result = parse_aiken("")
    assert result.questions == [] and result.errors == [] and result.warnings == []
