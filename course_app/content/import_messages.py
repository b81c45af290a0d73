"""What the GIFT and Aiken parsers return (ImportResult), and their messages: each an English
template plus its parameters.

The parsers stay free of Flask: they mark each template with `N_` (a no-op that `pybabel extract`
finds) and keep the parameters apart, so the command line prints `template % params` (the English
text) while the browser shows `gettext(template) % params` in the reader's language. A template is
a %-format string: a literal percent sign is written `%%`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(s: str) -> str:
    """Marks `s` as a message to translate (extracted by pybabel) without translating it."""
    return s


@dataclass(frozen=True)
class Message:
    """An English message template and the values it is filled with."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template % self.params


@dataclass(frozen=True)
class LineError:
    """A problem with the question block that starts on `line` (1-based).

    `message` is the English text; `template` and `params` give it again, to translate. Made from a
    plain message, the template is that message (with any `%` escaped) and has no parameters.
    Two LineErrors are equal when their line and English message are.
    """

    line: int
    message: str
    template: str = field(default="", compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", self.message.replace("%", "%%"))

    @classmethod
    def of(cls, line: int, message: Message) -> LineError:
        return cls(line, message.text, message.template, dict(message.params))


@dataclass
class ImportResult:
    """Questions read from a file, with the blocks that failed and the things worth knowing."""

    questions: list[dict] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    warnings: list[LineError] = field(default_factory=list)
    category: str | None = None
