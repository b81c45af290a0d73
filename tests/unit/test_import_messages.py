"""Every message the GIFT and Aiken parsers (and the browser import) can give is an N_-marked
template translated in the Vietnamese catalog, and fills in to today's English text."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from course_app.content.aiken import parse_aiken
from course_app.content.gift import parse_gift
from course_app.content.import_messages import LineError

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("course_app/content/gift_parse.py", "course_app/content/gift_text.py",
           "course_app/content/gift_answers.py", "course_app/content/aiken.py",
           "course_app/author/quiz_upload.py")
VI = ROOT / "course_app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# GIFT and Aiken syntax a translation must keep as it is.
SYNTAX = ("{", "}", "\\", "->", "~", "#", "%", "=", "::", "ANSWER")

BROKEN_GIFT = [
    "Q {=A ~B", "Q }=A ~B{", "Q =A ~B}", "Q {=A {~B}", "Q {=A ~B} more {x}", "Q {=A ~B} tail }",
    "{=A ~B}", "Q {~A}", "Q {=A ~}", "Q {=A =B ~C}", "Q {~B ~C}", "Q {~%50%A ~%20%B}",
    "Q {~%150%A ~B}", "Q {=%50%A =%40%B}", "Q {=%-5%A}", "Q {=}", "Q {#}", "Q {#5..1}",
    "Q {#5:-1}", "Q {#1,5}", "Q {#abc}", "Q {a -> 1 = b}", "Q {=a -> }", "Q {=a -> 1}",
    "::name Q {}", "just text", "[html]Q {TRUE}", "Q {#5 ~#x}", "Q {=A ~%50%B ~C}",
    "Q {~%33.3%A ~%33.3%B ~%33.3%C}",
]
BROKEN_AIKEN = [
    "Q\nA) a\nANSWER: A", "Q\nA) a\nA) b\nANSWER: A", "Q\nA) a\nB)\nANSWER: A",
    "Q\nA) a\nB) b\nANSWER: Z1", "Q\nA) a\nB) b\nANSWER: C", "A) a\nB) b\nANSWER: A",
    "Q\nA) a\nB) b", "Q\n\nR",
]


def marked_templates() -> set[str]:
    """The string given to each N_(…) call of the import modules."""
    found: set[str] = set()
    for module in MODULES:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "N_":
                assert isinstance(node.args[0], ast.Constant), f"{module}: N_ of a non-literal"
                found.add(node.args[0].value)
    return found


def parsed_messages() -> list[LineError]:
    results = [parse_gift(text) for text in BROKEN_GIFT] + \
        [parse_aiken(text) for text in BROKEN_AIKEN]
    return [item for result in results for item in result.errors + result.warnings]


TEMPLATES = sorted(marked_templates())


@cache
def vi_catalog() -> Catalog:
    with VI.open("rb") as handle:
        return read_po(handle, locale="vi")


def test_the_broken_inputs_meet_every_parser_template():
    met = {item.template for item in parsed_messages()}
    assert len(TEMPLATES) > 30
    assert met <= set(TEMPLATES)
    # All but the browser import's own two messages, which no parser gives.
    assert len(set(TEMPLATES) - met) == 2


def test_parser_messages_are_their_template_filled_in():
    for item in parsed_messages():
        assert item.template % item.params == item.message
        assert set(PLACEHOLDER.findall(item.template)) == set(item.params)


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_is_translated_in_vietnamese(template):
    entry = vi_catalog().get(template)
    assert entry is not None, "run scripts/i18n.py"
    assert entry.string and not entry.fuzzy
    assert set(PLACEHOLDER.findall(entry.string)) == set(PLACEHOLDER.findall(template))
    values = {name: "x" for name in PLACEHOLDER.findall(template)}
    english, vietnamese = template % values, entry.string % values
    assert vietnamese != english
    for token in SYNTAX:
        assert vietnamese.count(token) >= english.count(token), token
