"""Question dicts in our authoring format → Moodle GIFT text (read back by gift_parse).

Only the Vietnamese text is written. Question text is marked `[markdown]`, which is what our text
is; what GIFT cannot hold (ordering questions, points, rubrics…) is named in `//` comments.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .gift_parse import FORMAT_MARKER, WEIGHT

_ESCAPES = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{",
                          "}": "\\}", ":": "\\:", "\n": "\\n"})

Question = Mapping[str, Any]


class _NotExportable(Exception):
    """This question cannot be written as GIFT; the message says why."""


def export_gift(questions: Sequence[Question]) -> str:
    """GIFT text for `questions`, one block per question, separated by blank lines."""
    blocks = [_export(question) for question in questions]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def vi(value: Any) -> str:
    """The Vietnamese text of a translatable value (a string or a {vi, en} mapping)."""
    if isinstance(value, Mapping):
        value = value.get("vi")
    return "" if value is None else str(value)


def escape(text: str) -> str:
    """GIFT-escaped text on one line (newlines become \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPES)


def _text(value: Any) -> str:
    """Escaped text that GIFT will not read as a [format] marker."""
    text = escape(vi(value).strip())
    return "[markdown]" + text if FORMAT_MARKER.match(text) else text


def _weighted(mark: str, weight: float | None, value: Any, guard: bool = True) -> str:
    """`mark` + optional %weight% + text; an explicit weight guards text that starts with %n%."""
    text = _text(value)
    if weight is None and guard and WEIGHT.match(text):
        weight = 100 if mark == "=" else 0
    return mark + (f"%{number(weight)}%" if weight is not None else "") + text


def _feedback(entry: Mapping[str, Any], name: str = "feedback") -> str:
    text = _text(entry.get(name))
    return "#" + text if text else ""


def number(value: Any) -> str:
    """A number as GIFT reads it back: plain decimal notation, never an exponent."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _comment(text: str) -> str:
    return "// " + " ".join(text.split())


def _export(question: Question) -> str:
    key, kind = str(question.get("key", "")), str(question.get("type", ""))
    writer = _WRITERS.get(kind)
    if writer is None:
        return _comment(f"{kind} question {key} not exportable to GIFT")
    notes: list[str] = []
    try:
        block = writer(question, notes)
    except _NotExportable as exc:
        return _comment(f"{kind} question {key} not exportable to GIFT: {exc}")
    points = question.get("points", 1)
    if points != 1:
        notes.append(f"points: {points} (GIFT has no points; set the mark in Moodle)")
    head = f"::{escape(key)}::[markdown]{escape(vi(question.get('text')).strip())}"
    return "\n".join([*(_comment(f"{key}: {note}") for note in notes), head + block])


def _block(question: Question, lines: list[str]) -> str:
    """A multi-line answer block: one answer per line, then the general feedback."""
    general = _text(question.get("explanation"))
    body = [f"\t{line}" for line in lines] + ([f"\t####{general}"] if general else [])
    return "{\n" + "\n".join(body) + "\n}"


def _inline(question: Question, answer: str) -> str:
    general = _text(question.get("explanation"))
    return "{" + answer + (f"####{general}" if general else "") + "}"


def _single(question: Question, notes: list[str]) -> str:
    lines = []
    for choice in question.get("choices", []):
        correct = bool(choice.get("correct"))  # '=' answers take no %weight% in choices
        mark = "=" if correct else "~"
        lines.append(_weighted(mark, None, choice.get("text"), not correct) + _feedback(choice))
    return _block(question, lines)


def _multiple(question: Question, notes: list[str]) -> str:
    choices = list(question.get("choices", []))
    if question.get("all_or_nothing"):
        notes.append("all_or_nothing grading not kept (GIFT has weights only)")
    correct = sum(1 for choice in choices if choice.get("correct")) or 1
    lines = []
    for choice in choices:
        weight = choice.get("weight")
        if weight is None:  # the format's default weights
            weight = 100 / correct if choice.get("correct") else -100 / correct
        text = _weighted("~", weight or None, choice.get("text"))
        lines.append(text + _feedback(choice))
    return _block(question, lines)


def _true_false(question: Question, notes: list[str]) -> str:
    value = bool(question.get("answer"))
    right = _text(question.get("feedback_true" if value else "feedback_false"))
    wrong = _text(question.get("feedback_false" if value else "feedback_true"))
    answer = "TRUE" if value else "FALSE"
    if wrong or right:
        answer += "#" + wrong
    if right:
        answer += "#" + right
    return _inline(question, answer)


def _short(question: Question, notes: list[str]) -> str:
    for option in ("case_sensitive", "ignore_diacritics"):
        if question.get(option):
            notes.append(f"{option} not kept (GIFT short answers ignore case)")
    lines = []
    for answer in question.get("answers", []):
        if "->" in vi(answer.get("text")) + " " + vi(answer.get("feedback")):
            raise _NotExportable("an answer contains '->' (GIFT would read a matching question)")
        credit = answer.get("credit")
        lines.append(_weighted("=", None if credit in (None, 100) else credit, answer.get("text"))
                     + _feedback(answer))
    return _block(question, lines)


def _numeric(question: Question, notes: list[str]) -> str:
    if "answers" not in question:
        value = number(question.get("answer"))
        tolerance = question.get("tolerance")
        return _inline(question, f"#{value}:{number(tolerance)}" if tolerance is not None
                       else f"#{value}")
    lines = []
    for answer in question.get("answers", []):
        credit = answer.get("credit")
        line = "=" + ("" if credit in (None, 100) else f"%{number(credit)}%")
        if "min" in answer or "max" in answer:
            line += f"{number(answer.get('min'))}..{number(answer.get('max'))}"
        else:
            line += number(answer.get("value"))
            if answer.get("tolerance") is not None:
                line += f":{number(answer['tolerance'])}"
        lines.append(line + _feedback(answer))
    return "{#" + _block(question, lines)[1:]


def _matching(question: Question, notes: list[str]) -> str:
    lines = []
    for pair in question.get("pairs", []):
        if "->" in vi(pair.get("prompt")):
            raise _NotExportable("a prompt contains '->'")
        lines.append(f"={_text(pair.get('prompt'))} -> {escape(vi(pair.get('answer')).strip())}")
    lines += [f"= -> {escape(vi(extra).strip())}" for extra in question.get("distractors", [])]
    return _block(question, lines)


def _essay(question: Question, notes: list[str]) -> str:
    kept = [name for name in ("rubric", "min_words", "max_words") if question.get(name)]
    if kept:
        notes.append(f"{', '.join(kept)} not kept (GIFT essays have none)")
    return _inline(question, "")


_WRITERS: dict[str, Callable[[Question, list[str]], str]] = {
    "single": _single, "multiple": _multiple, "true_false": _true_false, "short": _short,
    "numeric": _numeric, "matching": _matching, "essay": _essay,
}
