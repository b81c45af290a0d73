"""The interface every question type implements, and the values it exchanges."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]

#: Fields every question has; they belong to the quiz loader, not to a question type.
COMMON_FIELDS = frozenset({"key", "type", "text", "points", "explanation", "lesson"})
MAX_TEXT = 10_000
MAX_ESSAY = 50_000
RESPONSE_CODES = frozenset(
    {"unknown_choice", "unknown_item", "bad_number", "too_long", "bad_position", "duplicate",
     "too_few_words", "too_many_words"}
)


@dataclass(frozen=True)
class SpecError:
    """An authoring error at `path` inside the question mapping (() is the question itself)."""

    path: Path
    message: str


@dataclass(frozen=True)
class ResponseError(Exception):
    """A posted answer that is not acceptable; `code` is one of RESPONSE_CODES."""

    code: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


def _exception_setattr(self: ResponseError, name: str, value: Any) -> None:
    # Python itself assigns __traceback__/__cause__/__context__ (e.g. contextlib does); the frozen
    # dataclass would refuse that, so only the dataclass fields stay read-only.
    if name.startswith("__") and name.endswith("__"):
        Exception.__setattr__(self, name, value)
    else:
        _frozen_setattr(self, name, value)


_frozen_setattr = ResponseError.__setattr__
ResponseError.__setattr__ = _exception_setattr  # type: ignore[method-assign]


@dataclass(frozen=True)
class Grade:
    """The result of grading one response, as a fraction of the question's points."""

    fraction: float
    needs_manual: bool = False
    feedback: tuple[dict, ...] = ()


class QuestionType(ABC):
    """One kind of question: validation, form parsing, grading and presentation."""

    name: str
    manual: bool = False

    @abstractmethod
    def normalise(self, raw: Mapping[str, Any]) -> tuple[dict, list[SpecError]]:
        """Canonical type_data from the authoring mapping, and the authoring errors.

        When there are errors, type_data is {} (never half-validated data).
        """

    @abstractmethod
    def to_authoring(self, type_data: dict) -> dict:
        """The type's fields in authoring form: normalise(to_authoring(td)) == (td, [])."""

    @abstractmethod
    def parse_fields(self, fields: Mapping[str, list[str]]) -> Any:
        """The response in a question's posted values, or None when unanswered. `fields` holds
        the question's own values under "" and each item's under the item's key (how a form
        names them is the web layer's business: quiz/forms.py)."""

    def read(self, response: Any, language: str) -> Any:
        """The posted response as a trainee writing in `language` means it (what is stored);
        most types store what parse_form gives."""
        return response

    @abstractmethod
    def validate_response(self, type_data: dict, response: Any) -> None:
        """Raise ResponseError when `response` is not acceptable (None is: unanswered)."""

    @abstractmethod
    def grade(self, type_data: dict, response: Any) -> Grade:
        """Grade a response (pure, never raises, fraction within 0..1)."""

    @abstractmethod
    def present(self, type_data: dict, seed: int, shuffle: bool) -> dict:
        """What the attempt page may show before submission: no correctness, ever."""

    @abstractmethod
    def correct_answer(self, type_data: dict) -> dict:
        """The right answer in a displayable form, for the review page."""

    def __repr__(self) -> str:
        return f"<question type {self.name}>"


def form_values(form: Mapping[str, Any], field: str) -> list[str]:
    """Every string posted for `field` (a bare string counts as one value)."""
    values = form.get(field)
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [value for value in values if isinstance(value, str)]


def first_value(form: Mapping[str, Any], field: str) -> str | None:
    """The first value posted for `field`, or None when absent."""
    values = form_values(form, field)
    return values[0] if values else None


def clamp(fraction: float) -> float:
    """Keep a fraction within 0..1."""
    return min(1.0, max(0.0, fraction))
