"""Moodle Aiken text → single-choice question dicts in our authoring format.

    Question text
    A) First choice          (or "A. First choice"; the space is optional)
    B) Second choice
    ANSWER: B

Follows Moodle's importer (question/format/aiken/format.php): a line that is neither a choice nor
an ANSWER line starts a question. Aiken text is plain text, so `&`, `<` and `>` are written as HTML
entities to show as typed in our Markdown. A question's text may run over several lines until a
blank line or its first choice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .gift_parse import KeyMaker, choice_key
from .import_messages import N_, ImportResult, LineError, Message

_CHOICE = re.compile(r"([A-Z])[).][ \t]?(.*)")
_ANSWER = re.compile(r"ANSWER:(.*)")
_LETTER = re.compile(r"([A-Za-z])[).]?")


@dataclass
class _Draft:
    """A question being read: where it starts, its text lines and its (letter, text) choices."""

    line: int
    text: list[str]
    choices: list[tuple[str, str]] = field(default_factory=list)
    text_closed: bool = False  # a blank line ended the question text


def parse_aiken(text: str) -> ImportResult:
    """Read every question of an Aiken file; each broken question gives one error."""
    reader = _Reader()
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        reader.feed(number, line.strip())
    reader.finish()
    return reader.result


class _Reader:
    def __init__(self) -> None:
        self.result = ImportResult()
        self.keys = KeyMaker()
        self.draft: _Draft | None = None
        self.in_stray_lines = False  # inside a run of choice/ANSWER lines without a question

    def feed(self, number: int, line: str) -> None:
        if not line:
            if self.draft is not None and not self.draft.choices:
                self.draft.text_closed = True
        elif match := _CHOICE.fullmatch(line):
            self._choice(number, match.group(1), match.group(2).strip())
        elif match := _ANSWER.match(line):
            self._answer(number, match.group(1).strip())
        else:
            self._text(number, line)

    def finish(self) -> None:
        if self.draft is not None:
            self._unfinished(self.draft)
            self.draft = None

    def _error(self, line: int, template: str, **params: Any) -> None:
        self.result.errors.append(LineError.of(line, Message(template, params)))

    def _stray(self, number: int) -> None:
        if not self.in_stray_lines:
            self._error(number, N_("choice or ANSWER line without a question before it "
                                   "(a question starts with its text line)"))
        self.in_stray_lines = True

    def _text(self, number: int, line: str) -> None:
        self.in_stray_lines = False
        draft = self.draft
        if draft is not None and not draft.choices and not draft.text_closed:
            draft.text.append(line)
            return
        if draft is not None:
            self._unfinished(draft)
        self.draft = _Draft(number, [line])

    def _choice(self, number: int, letter: str, text: str) -> None:
        if self.draft is None:
            self._stray(number)
        else:
            self.draft.choices.append((letter, text))

    def _answer(self, number: int, value: str) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            self._stray(number)
            return
        problem = _problem(draft, value)
        if problem:
            self.result.errors.append(LineError.of(draft.line, problem))
        else:
            self.result.questions.append(self._question(draft, value[0].upper()))

    def _unfinished(self, draft: _Draft) -> None:
        if draft.choices:
            self._error(draft.line,
                        N_("question not finished: no 'ANSWER:' line after its choices"))
        else:
            self._error(draft.line, N_("question has no choices (A) …) and no 'ANSWER:' line"))

    def _question(self, draft: _Draft, answer: str) -> dict:
        choices = [{"key": choice_key(index), "text": _plain(text), "correct": letter == answer}
                   for index, (letter, text) in enumerate(draft.choices)]
        return {"key": self.keys.make(None), "type": "single",
                "text": "\n".join(_plain(line) for line in draft.text), "points": 1,
                "choices": choices}


def _problem(draft: _Draft, value: str) -> Message | None:
    """Why a question that reached its ANSWER line is unusable, or None."""
    letters = [letter for letter, _ in draft.choices]
    if len(letters) < 2:
        return Message(N_("a question needs at least 2 choices (found %(found)s)"),
                       {"found": len(letters)})
    repeated = sorted({letter for letter in letters if letters.count(letter) > 1})
    if repeated:
        return Message(N_("choice letter %(letter)s is used twice"), {"letter": repeated[0]})
    empty = [letter for letter, text in draft.choices if not text]
    if empty:
        return Message(N_("choice %(letter)s has no text"), {"letter": empty[0]})
    if not _LETTER.fullmatch(value):
        return Message(N_("'ANSWER: %(value)s' must give the letter of the right choice, "
                          "e.g. ANSWER: B"), {"value": value[:40]})
    if value[0].upper() not in letters:
        return Message(N_("ANSWER %(letter)s matches none of the choices (%(letters)s)"),
                       {"letter": value[0].upper(), "letters": ", ".join(letters)})
    return None


def _plain(text: str) -> str:
    """Aiken text shown as typed: &, < and > become HTML entities."""
    return html.escape(text, quote=False)
