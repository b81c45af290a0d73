"""Question types: validation of authored questions, form parsing, grading and presentation."""

from course_app.domain.questions.base import Grade, QuestionType, ResponseError, SpecError
from course_app.domain.questions.registry import QUESTION_TYPES, form_field_clashes, get_type

__all__ = [
    "QUESTION_TYPES",
    "Grade",
    "QuestionType",
    "ResponseError",
    "SpecError",
    "form_field_clashes",
    "get_type",
]
