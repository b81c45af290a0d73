"""Moodle GIFT text → question dicts in our authoring format (docs/content-format.md).

Follows Moodle's own importer (question/format/gift/format.php): questions are separated by blank
lines, `//` lines are comments, `::name::` names a question, and the answer block `{…}` decides the
type. A backslash escapes the control characters `~ = # { } :` and itself; `\\n` is a newline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from course_app.domain.text import strip_marks

from .import_messages import N_, ImportResult, LineError, Message

KEY_MAX = 60
FORMAT_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_VALID_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ESCAPABLE = "\\:#={}~n"
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def slug_key(name: str) -> str:
    """A question key from a name: ASCII letters, digits, _ and - (diacritics folded), ≤ 60."""
    name = name.strip()
    if _VALID_KEY.fullmatch(name):
        return name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", strip_marks(name))
    return re.sub(r"-{2,}", "-", slug).strip("-")[:KEY_MAX].rstrip("-")


class KeyMaker:
    """Unique question keys: the slug of the name, or q<position>; repeats get -2, -3…"""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.count = 0

    def make(self, name: str | None) -> str:
        self.count += 1
        base = slug_key(name or "") or f"q{self.count}"
        key, number = base, 1
        while key in self.used:
            number += 1
            suffix = f"-{number}"
            key = base[: KEY_MAX - len(suffix)] + suffix
        self.used.add(key)
        return key


def choice_key(index: int) -> str:
    """a, b, … z, aa, ab … for the choice at 0-based `index`."""
    key, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = "abcdefghijklmnopqrstuvwxyz"[rest] + key
    return key


def parse_number(text: str) -> int | float | None:
    """A finite number written with '.' as the decimal mark (int when written as one), or None."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    if re.fullmatch(r"[+-]?\d{1,300}", text):
        return int(text)
    value = float(text)
    return value if math.isfinite(value) else None


class _Invalid(Exception):
    """The current block is not a valid question; the message says why."""

    def __init__(self, template: str, **params: Any) -> None:
        self.message = Message(template, params)
        super().__init__(self.message.text)


class _Codec:
    """Swaps GIFT escapes for private-use characters absent from the file, and back."""

    def __init__(self, text: str) -> None:
        base = _free_base(set(text))
        self._encode = {ch: chr(base + i) for i, ch in enumerate(_ESCAPABLE)}
        self._decode = {base + i: "\n" if ch == "n" else ch for i, ch in enumerate(_ESCAPABLE)}

    def encode(self, text: str) -> str:
        return _ESCAPE.sub(lambda match: self._encode[match.group(1)], text)

    def decode(self, text: str) -> str:
        return text.translate(self._decode)


def _free_base(present: set[str]) -> int:
    size = len(_ESCAPABLE)
    for start, stop in ((0xE000, 0xF900), (0xF0000, 0xFFFFE), (0x100000, 0x10FFFE)):
        for base in range(start, stop - size, size):
            if not any(chr(base + i) in present for i in range(size)):
                return base
    return 0xE000  # unreachable in practice: the file would hold ~130,000 private-use characters


@dataclass
class _Ctx:
    """What one block's parsing needs: the codec, and the warnings and text formats it meets."""

    codec: _Codec
    notes: list[Message] = field(default_factory=list)
    formats: set[str] = field(default_factory=set)

    def note(self, template: str, **params: Any) -> None:
        self.notes.append(Message(template, params))

    def text(self, raw: str) -> str:
        """Unescaped text without its leading [format] marker (the format is remembered)."""
        raw = raw.strip()
        match = FORMAT_MARKER.match(raw)
        if match:
            self.formats.add(match.group(1))
            raw = raw[match.end():]
        return self.codec.decode(raw).strip()

    def plain(self, raw: str) -> str:
        return self.codec.decode(raw).strip()

    def with_feedback(self, raw: str) -> tuple[str, str]:
        text, _, feedback = raw.partition("#")
        return self.text(text), self.text(feedback)


def parse_gift(text: str) -> ImportResult:
    """Read every question of a GIFT file; bad blocks become errors and never stop the rest."""
    result = ImportResult()
    codec, keys = _Codec(text), KeyMaker()
    for block in _blocks(text):
        if block[0][1].startswith("$CATEGORY:"):
            result.category = block[0][1][len("$CATEGORY:"):].strip()
            block = block[1:]
        if block:
            _read_block(result, codec, keys, block)
    return result


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Blank-line separated blocks of (line number, stripped line), without `//` comment lines."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line and block:
            yield block
            block = []
        elif line and not line.startswith("//"):
            block.append((number, line))
    if block:
        yield block


def _read_block(result: ImportResult, codec: _Codec, keys: KeyMaker,
                block: list[tuple[int, str]]) -> None:
    line, ctx = block[0][0], _Ctx(codec)
    try:
        parsed = _parse_block(ctx, "\n".join(text for _, text in block))
    except _Invalid as exc:
        result.errors.append(LineError.of(line, exc.message))
        return
    if parsed is not None:
        name, fields = parsed
        result.questions.append({"key": keys.make(name), **fields})
    result.warnings.extend(LineError.of(line, note) for note in ctx.notes)


def _parse_block(ctx: _Ctx, source: str) -> tuple[str | None, dict[str, Any]] | None:
    name, text = _split_name(ctx, ctx.codec.encode(source))
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        ctx.note(N_("text without an answer block {…} (a Moodle description) skipped"))
        return None
    _check_braces(text, start, end)
    after = text[end + 1:]
    stem = text[:start] + ("_____" + after if after else "")  # "missing word" questions
    answer, general = _split_general_feedback(text[start + 1:end].strip())
    question: dict[str, Any] = {"type": "", "text": ctx.text(stem), "points": 1}
    if not question["text"]:
        raise _Invalid(N_("the question text is empty"))
    question["type"], fields = _answers(ctx, answer)
    question.update(fields)
    explanation = ctx.text(general)
    if explanation:
        question["explanation"] = explanation
    _note_formats(ctx)
    return name, question


def _split_name(ctx: _Ctx, text: str) -> tuple[str | None, str]:
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        ctx.note(N_("'::' opens a question name that is never closed; name ignored"))
        return None, text[2:].strip()
    return ctx.plain(text[2:end]), text[end + 2:].strip()


def _check_braces(text: str, start: int, end: int) -> None:
    if start < 0:
        raise _Invalid(N_("missing opening '{' before '}' (write \\} for a literal brace)"))
    if end < 0:
        raise _Invalid(N_("missing closing '}' (a blank line ends a question)"))
    if end < start:
        raise _Invalid(N_("'}' comes before the opening '{' (write \\} for a literal brace)"))
    if "{" in text[start + 1:end]:
        raise _Invalid(N_("'{' inside the answer block: missing closing '}' "
                          "(write \\{ for a literal brace)"))
    if "{" in text[end + 1:] or "}" in text[end + 1:]:
        raise _Invalid(N_("more than one answer block {…} "
                          "(write \\{ and \\} for literal braces)"))


def _split_general_feedback(answer: str) -> tuple[str, str]:
    cut = answer.rfind("####")
    if cut < 0:
        return answer, ""
    return answer[:cut].strip(), answer[cut + 4:]


def _note_formats(ctx: _Ctx) -> None:
    other = sorted(ctx.formats - {"markdown"})
    if other:
        ctx.note(N_("text marked %(marks)s kept as it is and shown as Markdown "
                    "(HTML outside the allowed tags is removed)"),
                 marks=", ".join(f"[{name}]" for name in other))


def _answers(ctx: _Ctx, answer: str) -> tuple[str, dict[str, Any]]:
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
    if answer.partition("#")[0].strip().upper() in _TRUE_FALSE:
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
        raise _Invalid(N_("weight %%%(weight)s%% is outside %(low)s…100"),
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


def _choices(ctx: _Ctx, answer: str) -> tuple[str, dict[str, Any]]:
    parts = _parts(answer.replace("=", "~="), "~")
    if len(parts) < 2:
        raise _Invalid(N_("a multiple-choice question needs at least 2 answers "
                          "(found %(found)s)"), found=len(parts))
    choices = [_choice(ctx, index, part) for index, part in enumerate(parts)]
    if any(choice.marked for choice in choices):
        return "single", _single(ctx, choices)
    return "multiple", _multiple(ctx, choices)


def _choice(ctx: _Ctx, index: int, part: str) -> _Choice:
    marked = part.startswith("=")
    weight, rest = (100, part[1:]) if marked else _take_weight(part, 0, -100)
    text, feedback = ctx.with_feedback(rest)
    if not text:
        raise _Invalid(N_("answer %(n)s is empty"), n=index + 1)
    return _Choice(marked, weight, text, feedback)


def _single(ctx: _Ctx, choices: list[_Choice]) -> dict[str, Any]:
    if sum(choice.weight == 100 for choice in choices) > 1:
        raise _Invalid(N_("more than one correct answer in a single-choice question; for "
                          "several right answers give each a weight, e.g. ~%%50%%"))
    partial = [choice.text for choice in choices if choice.weight not in (0, 100)]
    if partial:
        ctx.note(N_("partial credit dropped from %(answers)s: single-choice questions score "
                    "all or nothing"), answers=", ".join(map(repr, partial)))
    return {"choices": [c.as_dict(i, c.weight == 100, False) for i, c in enumerate(choices)]}


def _multiple(ctx: _Ctx, choices: list[_Choice]) -> dict[str, Any]:
    total = sum(choice.weight for choice in choices if choice.weight > 0)
    if total == 0:
        raise _Invalid(N_("no correct answer marked: use = for the right answer, or positive "
                          "weights such as ~%%50%% for several"))
    if abs(total - 100) > 0.05:
        raise _Invalid(N_("the positive weights add up to %(total)s%%; they must add up to "
                          "100%%"), total=f"{total:g}")
    if abs(total - 100) > 1e-9:  # rounded thirds and the like: 33.333% three times
        for choice in choices:
            if choice.weight > 0:
                choice.weight = choice.weight * 100 / total
    return {"choices": [c.as_dict(i, c.weight > 0, True) for i, c in enumerate(choices)]}


def _true_false(ctx: _Ctx, answer: str) -> dict[str, Any]:
    # Moodle: {TRUE#feedback for a wrong answer#feedback for a right answer}
    token, _, feedbacks = answer.partition("#")
    wrong, _, right = feedbacks.partition("#")
    value = _TRUE_FALSE[token.strip().upper()]
    fields: dict[str, Any] = {"answer": value}
    on_true, on_false = (right, wrong) if value else (wrong, right)
    for name, raw in (("feedback_true", on_true), ("feedback_false", on_false)):
        text = ctx.text(raw)
        if text:
            fields[name] = text
    return fields


def _short(ctx: _Ctx, answer: str) -> dict[str, Any]:
    answers = []
    for index, part in enumerate(_parts(answer, "=")):
        credit, rest = _take_weight(part, 100, 0)
        text, feedback = ctx.with_feedback(rest)
        if not text:
            raise _Invalid(N_("answer %(n)s is empty"), n=index + 1)
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
        raise _Invalid(N_("no answer gives full credit: write one answer without a %%weight%% "
                          "(or with %%100%%)"))


def _numeric(ctx: _Ctx, body: str) -> dict[str, Any]:
    body, tilde, _ = body.partition("~")
    if tilde:
        ctx.note(N_("feedback for any other answer ('~#…') dropped: not supported"))
    bare = bool(body.split("=")[0].strip())
    parts = _parts(body, "=")
    if not parts:
        raise _Invalid(N_("a numeric question needs an answer, e.g. {#5}, {#5:0.5} or "
                          "{#1..3}"))
    answers = [_numeric_answer(ctx, index, part) for index, part in enumerate(parts)]
    _need_full_credit(answers)
    only = answers[0]
    if bare and len(answers) == 1 and set(only) <= {"value", "tolerance"}:
        return {"answer": only["value"], "tolerance": only.get("tolerance", 0)}
    return {"answers": answers}


def _numeric_answer(ctx: _Ctx, index: int, part: str) -> dict[str, Any]:
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
            raise _Invalid(N_("answer %(n)s: the range %(low)s..%(high)s is empty"),
                           n=index + 1, low=least, high=most)
        return {"min": least, "max": most}
    if raw.find(":") > 0:
        value, _, margin = raw.partition(":")
        tolerance = _number(index, margin)
        if tolerance < 0:
            raise _Invalid(N_("answer %(n)s: the tolerance must not be negative"),
                           n=index + 1)
        return {"value": _number(index, value), "tolerance": tolerance}
    return {"value": _number(index, raw)}


def _number(index: int, text: str) -> int | float:
    value = parse_number(text)
    if value is None:
        template = N_("answer %(n)s: %(text)s is not a number")
        if re.fullmatch(r"\s*[+-]?\d+,\d+\s*", text):
            template = N_("answer %(n)s: %(text)s is not a number (use '.' as the decimal mark)")
        raise _Invalid(template, n=index + 1, text=repr(text.strip()[:40]))
    return value


def _matching(ctx: _Ctx, answer: str) -> dict[str, Any]:
    pairs: list[dict[str, Any]] = []
    distractors: list[str] = []
    for part in _parts(answer, "="):
        left, arrow, right = part.partition("->")
        if not arrow:
            raise _Invalid(N_("matching answer %(answer)s has no '->'"),
                           answer=repr(ctx.plain(part)[:40]))
        prompt, target = ctx.text(left), ctx.plain(right)
        if not target:
            raise _Invalid(N_("a matching answer after '->' is empty"))
        if prompt:
            pairs.append({"key": f"p{len(pairs) + 1}", "prompt": prompt, "answer": target})
        else:
            distractors.append(target)
    if len(pairs) < 2:
        raise _Invalid(N_("a matching question needs at least 2 pairs 'prompt -> answer' "
                          "(found %(found)s)"), found=len(pairs))
    fields: dict[str, Any] = {"pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields
