"""Review options, as Moodle's: what a trainee sees after an attempt (the score, whether each
answer was right, the right answers, the explanations and feedback) and from when. Pure
functions: the quiz file reader, the authoring form, the export and the review page ask here.

Each aspect holds one moment or a list of moments (any of them opens it):
immediately, after_pass (the trainee has passed the quiz), after_last_attempt (no attempt is
left), after_close (the trainee's cohort has ended), never. Once the cohort has ended, every
aspect that is not `never` is shown: nothing can be gained from it any more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ASPECTS = ("score", "correctness", "answers", "explanations")
MOMENTS = ("immediately", "after_pass", "after_last_attempt", "after_close", "never")
SHORTHANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "full": {aspect: ("immediately",) for aspect in ASPECTS},
    "score": {"score": ("immediately",), "correctness": ("never",), "answers": ("never",),
              "explanations": ("never",)},
}

Options = dict[str, tuple[str, ...]]


class ReviewOptionsError(ValueError):
    """A review setting that is not valid; `path` is where, inside `review`."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _moments(aspect: str, value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not values or \
            any(not isinstance(v, str) or v not in MOMENTS for v in values):
        raise ReviewOptionsError((aspect,), f"review '{aspect}' must be one of "
                                            f"{', '.join(MOMENTS)}, or a list of them")
    if "never" in values and len(values) > 1:
        raise ReviewOptionsError((aspect,), f"review '{aspect}': 'never' stands alone")
    return tuple(dict.fromkeys(values))


def parse(value: Any) -> Options:
    """The options from a quiz file's `review`: a shorthand (full, score) or a mapping of
    aspects; an aspect left out is shown immediately. Raises ReviewOptionsError."""
    if isinstance(value, str):
        if value not in SHORTHANDS:
            raise ReviewOptionsError((), "'review' must be full, score, or a mapping of "
                                         f"{', '.join(ASPECTS)}")
        return dict(SHORTHANDS[value])
    if not isinstance(value, Mapping):
        raise ReviewOptionsError((), f"'review' must be full, score, or a mapping of "
                                     f"{', '.join(ASPECTS)}")
    unknown = [str(key) for key in value if key not in ASPECTS]
    if unknown:
        raise ReviewOptionsError((unknown[0],), f"review: unknown aspect '{unknown[0]}' (one "
                                                f"of: {', '.join(ASPECTS)})")
    return {aspect: _moments(aspect, value.get(aspect, "immediately")) for aspect in ASPECTS}


def effective(review: str, stored: Mapping[str, Any] | None) -> Options:
    """A quiz's options: the stored mapping when there is one, else its shorthand."""
    if stored:
        return {aspect: tuple(stored.get(aspect) or ("immediately",)) for aspect in ASPECTS}
    return dict(SHORTHANDS.get(review, SHORTHANDS["full"]))


def shorthand(options: Options) -> str | None:
    """The shorthand that says exactly these options, if one does."""
    for name, expanded in SHORTHANDS.items():
        if expanded == options:
            return name
    return None


def to_file(options: Options) -> str | dict[str, str | list[str]]:
    """How a quiz file writes them: the shorthand when one fits, else the mapping."""
    name = shorthand(options)
    if name is not None:
        return name
    return {aspect: (moments[0] if len(moments) == 1 else list(moments))
            for aspect, moments in options.items()}


def to_storage(options: Options) -> tuple[str, dict[str, list[str]] | None]:
    """(the `review` column, the `review_options` column) for these options."""
    name = shorthand(options)
    if name is not None:
        return name, None
    return "full", {aspect: list(moments) for aspect, moments in options.items()}


@dataclass(frozen=True)
class ReviewState:
    """What is known about the trainee and the quiz when the review is shown."""

    passed: bool  # the trainee has passed the quiz (its kept grade)
    attempts_left: int | None  # None: no limit
    cohort_closed: bool  # the trainee's cohort of the course has ended


@dataclass(frozen=True)
class Visible:
    score: bool
    correctness: bool
    answers: bool
    explanations: bool


def _met(moment: str, state: ReviewState) -> bool:
    if moment == "never":
        return False
    if moment == "immediately" or state.cohort_closed:
        return True
    if moment == "after_pass":
        return state.passed
    if moment == "after_last_attempt":
        return state.attempts_left is not None and state.attempts_left <= 0
    return False  # after_close, the cohort still open


def visible(options: Options, state: ReviewState) -> Visible:
    """What the review shows now."""
    shown = {aspect: any(_met(m, state) for m in options.get(aspect, ("immediately",)))
             for aspect in ASPECTS}
    return Visible(**shown)


def hides_key_while_retaking(options: Options) -> bool:
    """True when neither the right answers nor the explanations are shown while the trainee
    may still retake the quiz without having passed it."""
    retaking = ReviewState(passed=False, attempts_left=1, cohort_closed=False)
    seen = visible(options, retaking)
    return not (seen.answers or seen.explanations)


@dataclass(frozen=True)
class PassedShown:
    """"Quizzes passed: X of Y" as a trainee may see it now."""
    passed: int  # required quizzes passed, those whose score is still hidden left out
    total: int  # required quizzes
    later: int  # required quizzes taken whose result is shown later


def passed_shown(passed: int, total: int, hidden_passed: Iterable[bool]) -> PassedShown:
    """The count of passed quizzes that tells nothing a quiz's review options still hide:
    `hidden_passed` holds, for each required quiz whose score is hidden now, whether it is
    passed (a hidden pass is not counted; each hidden result is said to come later)."""
    flags = list(hidden_passed)
    return PassedShown(passed - sum(flags), total, len(flags))
