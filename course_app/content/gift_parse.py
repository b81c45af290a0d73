"""Moodle GIFT text → question dicts in our authoring format (docs/content-format.md).

Follows Moodle's own importer (question/format/gift/format.php): questions are separated by blank
lines, `//` lines are comments, `::name::` names a question, and the answer block `{…}` decides the
type. A backslash escapes the control characters `~ = # { } :` and itself; `\\n` is a newline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .gift_answers import answers as _answers
from .gift_text import (  # noqa: F401 - the names other modules import from here
    FORMAT_MARKER,
    KEY_MAX,
    WEIGHT,
    Codec,
    Ctx,
    Invalid,
    KeyMaker,
    choice_key,
    parse_number,
    slug_key,
)
from .import_messages import N_, ImportResult, LineError


def parse_gift(text: str) -> ImportResult:
    """Read every question of a GIFT file; bad blocks become errors and never stop the rest."""
    result = ImportResult()
    codec, keys = Codec(text), KeyMaker()
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


def _read_block(result: ImportResult, codec: Codec, keys: KeyMaker,
                block: list[tuple[int, str]]) -> None:
    line, ctx = block[0][0], Ctx(codec)
    try:
        parsed = _parse_block(ctx, "\n".join(text for _, text in block))
    except Invalid as exc:
        result.errors.append(LineError.of(line, exc.message))
        return
    if parsed is not None:
        name, fields = parsed
        result.questions.append({"key": keys.make(name), **fields})
    result.warnings.extend(LineError.of(line, note) for note in ctx.notes)


def _parse_block(ctx: Ctx, source: str) -> tuple[str | None, dict[str, Any]] | None:
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
        raise Invalid(N_("the question text is empty"))
    question["type"], fields = _answers(ctx, answer)
    question.update(fields)
    explanation = ctx.text(general)
    if explanation:
        question["explanation"] = explanation
    _note_formats(ctx)
    return name, question


def _split_name(ctx: Ctx, text: str) -> tuple[str | None, str]:
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        ctx.note(N_("'::' opens a question name that is never closed; name ignored"))
        return None, text[2:].strip()
    return ctx.plain(text[2:end]), text[end + 2:].strip()


def _check_braces(text: str, start: int, end: int) -> None:
    if start < 0:
        raise Invalid(N_("missing opening '{' before '}' (write \\} for a literal brace)"))
    if end < 0:
        raise Invalid(N_("missing closing '}' (a blank line ends a question)"))
    if end < start:
        raise Invalid(N_("'}' comes before the opening '{' (write \\} for a literal brace)"))
    if "{" in text[start + 1:end]:
        raise Invalid(N_("'{' inside the answer block: missing closing '}' "
                          "(write \\{ for a literal brace)"))
    if "{" in text[end + 1:] or "}" in text[end + 1:]:
        raise Invalid(N_("more than one answer block {…} "
                          "(write \\{ and \\} for literal braces)"))


def _split_general_feedback(answer: str) -> tuple[str, str]:
    cut = answer.rfind("####")
    if cut < 0:
        return answer, ""
    return answer[:cut].strip(), answer[cut + 4:]


def _note_formats(ctx: Ctx) -> None:
    other = sorted(ctx.formats - {"markdown"})
    if other:
        ctx.note(N_("text marked %(marks)s kept as it is and shown as Markdown "
                    "(HTML outside the allowed tags is removed)"),
                 marks=", ".join(f"[{name}]" for name in other))
