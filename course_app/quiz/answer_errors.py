"""What the attempt page says about an answer that could not be saved, per error code of
domain.questions.ResponseError."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ANSWER_ERRORS = {
    "unknown_choice": _l("This choice does not exist. Please choose again."),
    "unknown_item": _l("This answer does not belong to the question."),
    "bad_number": _l("Please enter a number, for example 1,000 or 3.5."),
    "too_long": _l("This answer is too long."),
    "bad_position": _l("Each position must be a number from the list."),
    "duplicate": _l("The same answer was given twice."),
    "unknown_question": _l("An answer was sent for a question that is not in this attempt."),
    "conflict": _l("This answer was changed in another tab or on another device; the answer "
                   "on this page was not saved. Press Save answers to compare them."),
    "too_few_words": _l("This answer is shorter than the length asked for."),
    "too_many_words": _l("This answer is longer than the length asked for."),
}


def answer_error(code: str) -> str:
    return str(ANSWER_ERRORS.get(code, ANSWER_ERRORS["unknown_item"]))
