"""Numbers as people write them (issue 16): read in the trainee's language."""

from __future__ import annotations

import pytest

from course_app.domain.numbers import Reading, read_number
from course_app.domain.questions import get_type

N = "\u202f"  # the narrow no-break space that groups a number shown back


@pytest.mark.parametrize(("text", "language", "value", "ambiguous", "shown"), [
    ("1.000", "vi", 1000.0, True, f"1{N}000"),
    ("1,5", "vi", 1.5, False, "1,5"),
    ("1 000", "vi", 1000.0, False, f"1{N}000"),
    ("1\u00a0000", "vi", 1000.0, False, f"1{N}000"),
    ("1.000,5", "vi", 1000.5, False, f"1{N}000,5"),
    ("-1.234.567,25", "vi", -1234567.25, False, f"-1{N}234{N}567,25"),
    ("3.5", "vi", 3.5, False, "3,5"),  # a dot that cannot group is a decimal mark
    ("1,000", "vi", 1.0, True, "1"),
    ("1,000", "en", 1000.0, True, f"1{N}000"),
    ("1.000", "en", 1.0, True, "1"),
    ("1,000.5", "en", 1000.5, False, f"1{N}000.5"),
    ("1 000.5", "en", 1000.5, False, f"1{N}000.5"),
    ("1,5", "en", 1.5, False, "1.5"),
    ("0,4", "en", 0.4, False, "0.4"),
    (",5", "vi", 0.5, False, "0,5"),
    ("1e3", "vi", 1000.0, False, "1e3"),
    ("\u22124", "en", -4.0, False, "-4"),
    ("007", "vi", 7.0, False, "7"),
])
def test_read_in_the_trainees_language(text, language, value, ambiguous, shown):
    assert read_number(text, language) == Reading(value, ambiguous, shown)


@pytest.mark.parametrize("text", ["", "abc", "1_000", "12.34.567", "1.00.000", "1,000,00",
                                  "1.000 000", "inf", "nan", "1e999", "9" * 400, "--1", ".",
                                  "1.000,5e3", "٣"])
def test_not_numbers(text):
    assert read_number(text, "vi").value is None
    assert read_number(text, "en").value is None


def test_a_numeric_question_stores_what_was_typed_and_the_number_read():
    kind = get_type("numeric")
    type_data, _ = kind.normalise({"answer": 1000})
    vi = kind.read("1.000", "vi")
    assert vi == {"text": "1.000", "value": 1000.0, "language": "vi"}
    kind.validate_response(type_data, vi)
    assert kind.grade(type_data, vi).fraction == 1.0
    assert kind.grade(type_data, kind.read("1.000", "en")).fraction == 0.0
    assert kind.grade(type_data, kind.read("1,000", "en")).fraction == 1.0
    assert kind.grade(type_data, "1000").fraction == 1.0  # a response stored before
    with pytest.raises(Exception, match="bad_number"):
        kind.validate_response(type_data, kind.read("một nghìn", "vi"))
