"""The answer block `{…}` of a GIFT question: its type chosen the way Moodle chooses (essay,
numeric, multiple or single choice, matching, true/false, short answer) and its fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .gift_text import TRUE_FALSE, WEIGHT, Ctx, Invalid, choice_key, parse_number
from .import_messages import N_


def answers(ctx: Ctx, answer: str) -> tuple[str, dict[str, Any]]:
    """The question type and its fields, chosen the way Moodle chooses."""
    if not answer:
        ctx.note(N_("essay question: GIFT has no rubric; add a 'rubric' for the graders"))
        return "essay", {}
    if answer.startswith("#"):
        return "numeric", _numeric(ctx, answer[1:])
    if "~" in answer:
        return _choices(ctx, answer)
    if "=" in answer and "->" in answer:
        return "matching", _matching(ctx, answer)
    if answer.partition("#")[0].strip().upper() in TRUE_FALSE:
        return "true_false", _true_false(ctx, answer)
    return "short", _short(ctx, answer)


def _parts(answer: str, separator: str) -> list[str]:
    parts = answer.split(separator)
    if not parts[0].strip():
        parts = parts[1:]
    return [part.strip() for part in parts]


def _take_weight(part: str, default: int, low: int) -> tuple[int | float, str]:
    """A leading %n% weight (percent, low…100) and the rest of the answer."""
    match = WEIGHT.match(part)
    if not match:
        return default, part
    value = parse_number(match.group(1))
    if value is None or not low <= value <= 100:
        raise Invalid(N_("weight %%%(weight)s%% is outside %(low)s…100"),
                       weight=match.group(1)[:20], low=low)
    return value, part[match.end():]


@dataclass
class _Choice:
    marked: bool  # written with '=' (full marks in a single-choice question)
    weight: int | float
    text: str
    feedback: str

    def as_dict(self, index: int, correct: bool, weighted: bool) -> dict[str, Any]:
        choice: dict[str, Any] = {"key": choice_key(index), "text": self.text, "correct": correct}
        if weighted:
            choice["weight"] = self.weight
        if self.feedback:
            choice["feedback"] = self.feedback
        return choice


def _choices(ctx: Ctx, answer: str) -> tuple[str, dict[str, Any]]:
    parts = _parts(answer.replace("=", "~="), "~")
    if len(parts) < 2:
        raise Invalid(N_("a multiple-choice question needs at least 2 answers "
                          "(found %(found)s)"), found=len(parts))
    choices = [_choice(ctx, index, part) for index, part in enumerate(parts)]
    if any(choice.marked for choice in choices):
        return "single", _single(ctx, choices)
    return "multiple", _multiple(ctx, choices)


def _choice(ctx: Ctx, index: int, part: str) -> _Choice:
    marked = part.startswith("=")
    weight, rest = (100, part[1:]) if marked else _take_weight(part, 0, -100)
    text, feedback = ctx.with_feedback(rest)
    if not text:
        raise Invalid(N_("answer %(n)s is empty"), n=index + 1)
    return _Choice(marked, weight, text, feedback)


def _single(ctx: Ctx, choices: list[_Choice]) -> dict[str, Any]:
    # Moodle: any '=' makes the question single-answer, and every '=' answer (or 100 % weight)
    # earns full credit; the trainee picks one of them.
    partial = [choice.text for choice in choices if choice.weight not in (0, 100)]
    if partial:
        ctx.note(N_("partial credit dropped from %(answers)s: single-choice questions score "
                    "all or nothing"), answers=", ".join(map(repr, partial)))
    return {"choices": [c.as_dict(i, c.weight == 100, False) for i, c in enumerate(choices)]}


def _multiple(ctx: Ctx, choices: list[_Choice]) -> dict[str, Any]:
    total = sum(choice.weight for choice in choices if choice.weight > 0)
    if total == 0:
        raise Invalid(N_("no correct answer marked: use = for the right answer, or positive "
                          "weights such as ~%%50%% for several"))
    if abs(total - 100) > 0.05:
        raise Invalid(N_("the positive weights add up to %(total)s%%; they must add up to "
                          "100%%"), total=f"{total:g}")
    if abs(total - 100) > 1e-9:  # rounded thirds and the like: 33.333% three times
        for choice in choices:
            if choice.weight > 0:
                choice.weight = choice.weight * 100 / total
    return {"choices": [c.as_dict(i, c.weight > 0, True) for i, c in enumerate(choices)]}


def _true_false(ctx: Ctx, answer: str) -> dict[str, Any]:
    # Moodle: {TRUE#feedback for a wrong answer#feedback for a right answer}
    token, _, feedbacks = answer.partition("#")
    wrong, _, right = feedbacks.partition("#")
    value = TRUE_FALSE[token.strip().upper()]
    fields: dict[str, Any] = {"answer": value}
    on_true, on_false = (right, wrong) if value else (wrong, right)
    for name, raw in (("feedback_true", on_true), ("feedback_false", on_false)):
        text = ctx.text(raw)
        if text:
            fields[name] = text
    return fields


def _short(ctx: Ctx, answer: str) -> dict[str, Any]:
    answers = []
    for index, part in enumerate(_parts(answer, "=")):
        credit, rest = _take_weight(part, 100, 0)
        text, feedback = ctx.with_feedback(rest)
        if not text:
            raise Invalid(N_("answer %(n)s is empty"), n=index + 1)
        entry: dict[str, Any] = {"text": text}
        if credit != 100:
            entry["credit"] = credit
        if feedback:
            entry["feedback"] = feedback
        answers.append(entry)
    _need_full_credit(answers)
    return {"answers": answers}


def _need_full_credit(answers: list[dict[str, Any]]) -> None:
    if not any(answer.get("credit", 100) == 100 for answer in answers):
        raise Invalid(N_("no answer gives full credit: write one answer without a %%weight%% "
                          "(or with %%100%%)"))


def _numeric(ctx: Ctx, body: str) -> dict[str, Any]:
    body, tilde, _ = body.partition("~")
    if tilde:
        ctx.note(N_("feedback for any other answer ('~#…') dropped: not supported"))
    bare = bool(body.split("=")[0].strip())
    parts = _parts(body, "=")
    if not parts:
        raise Invalid(N_("a numeric question needs an answer, e.g. {#5}, {#5:0.5} or "
                          "{#1..3}"))
    answers = [_numeric_answer(ctx, index, part) for index, part in enumerate(parts)]
    _need_full_credit(answers)
    only = answers[0]
    if bare and len(answers) == 1 and set(only) <= {"value", "tolerance"}:
        return {"answer": only["value"], "tolerance": only.get("tolerance", 0)}
    return {"answers": answers}


def _numeric_answer(ctx: Ctx, index: int, part: str) -> dict[str, Any]:
    credit, rest = _take_weight(part, 100, 0)
    raw, feedback = ctx.with_feedback(rest)
    entry = _numeric_value(index, raw)
    if credit != 100:
        entry["credit"] = credit
    if feedback:
        entry["feedback"] = feedback
    return entry


def _numeric_value(index: int, raw: str) -> dict[str, Any]:
    if raw.find("..") > 0:
        low, _, high = raw.partition("..")
        least, most = _number(index, low), _number(index, high)
        if least > most:
            raise Invalid(N_("answer %(n)s: the range %(low)s..%(high)s is empty"),
                           n=index + 1, low=least, high=most)
        return {"min": least, "max": most}
    if raw.find(":") > 0:
        value, _, margin = raw.partition(":")
        tolerance = _number(index, margin)
        if tolerance < 0:
            raise Invalid(N_("answer %(n)s: the tolerance must not be negative"),
                           n=index + 1)
        return {"value": _number(index, value), "tolerance": tolerance}
    return {"value": _number(index, raw)}


def _number(index: int, text: str) -> int | float:
    value = parse_number(text)
    if value is None:
        template = N_("answer %(n)s: %(text)s is not a number")
        if re.fullmatch(r"\s*[+-]?\d+,\d+\s*", text):
            template = N_("answer %(n)s: %(text)s is not a number (use '.' as the decimal mark)")
        raise Invalid(template, n=index + 1, text=repr(text.strip()[:40]))
    return value


def _matching(ctx: Ctx, answer: str) -> dict[str, Any]:
    pairs: list[dict[str, Any]] = []
    distractors: list[str] = []
    for part in _parts(answer, "="):
        left, arrow, right = part.partition("->")
        if not arrow:
            raise Invalid(N_("matching answer %(answer)s has no '->'"),
                           answer=repr(ctx.plain(part)[:40]))
        prompt, target = ctx.text(left), ctx.plain(right)
        if not target:
            raise Invalid(N_("a matching answer after '->' is empty"))
        if prompt:
            pairs.append({"key": f"p{len(pairs) + 1}", "prompt": prompt, "answer": target})
        else:
            distractors.append(target)
    if len(pairs) < 2:
        raise Invalid(N_("a matching question needs at least 2 pairs 'prompt -> answer' "
                          "(found %(found)s)"), found=len(pairs))
    fields: dict[str, Any] = {"pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields
