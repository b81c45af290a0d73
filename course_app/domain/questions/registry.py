"""Every question type, by name."""

from __future__ import annotations

from collections.abc import Iterable

from course_app.domain.questions.base import QuestionType
from course_app.domain.questions.essay import Essay
from course_app.domain.questions.matching import Matching
from course_app.domain.questions.multiple import MultipleChoice
from course_app.domain.questions.numeric import Numeric
from course_app.domain.questions.ordering import Ordering
from course_app.domain.questions.short import ShortAnswer
from course_app.domain.questions.single import SingleChoice
from course_app.domain.questions.true_false import TrueFalse

QUESTION_TYPES: dict[str, QuestionType] = {
    qtype.name: qtype
    for qtype in (SingleChoice(), MultipleChoice(), TrueFalse(), ShortAnswer(), Numeric(),
                  Matching(), Ordering(), Essay())
}

#: Types whose answers are posted one value per item.
KEYED_FORM_TYPES = frozenset({"matching", "ordering"})


def get_type(name: str) -> QuestionType:
    """The question type called `name`; KeyError (with the known names) for any other."""
    try:
        return QUESTION_TYPES[name]
    except (KeyError, TypeError):
        known = ", ".join(QUESTION_TYPES)
        raise KeyError(f"unknown question type {name!r} (known: {known})") from None


def form_field_clashes(questions: Iterable[tuple[str, str]]) -> list[str]:
    """Keys of questions whose answer a matching/ordering question's items could be taken for.

    `questions` are (key, type) pairs of one quiz. A form names an item's value by the
    question's key, "-" and the item's key (quiz/forms.py): question "a" of type matching
    reads "a-<item>", so a question keyed "a-x" clashes.
    """
    questions = list(questions)
    prefixes = [key + "-" for key, qtype in questions if qtype in KEYED_FORM_TYPES]
    return [key for key, _ in questions if any(key.startswith(p) for p in prefixes)]
