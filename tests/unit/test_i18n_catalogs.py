"""The Vietnamese and English catalogs are complete: no untranslated or fuzzy entry, every msgid
of the code (extracted as scripts/i18n.py does) is in both, and no template shows text that
bypasses them ({{ _("…") }} or {% trans %} is the only way for words to reach a page).

Run `.venv/bin/python scripts/i18n.py`, then translate the new Vietnamese entries, to fix a
failure here."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "course_app" / "translations"
TEMPLATES = ROOT / "course_app" / "templates"
LOCALES = ("vi", "en")
# Each language's name is written in that language, whatever the page's language.
UNTRANSLATED_ON_PURPOSE = {"Tiếng Việt", "English"}
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.DOTALL)
JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
NOT_TEXT = {"script", "style", "code", "pre"}
# A macro may print attributes (name="…") as text for the tag that calls it.
ATTRIBUTE_TEXT = re.compile(r"""[\w:-]+=("[^"]*"|'[^']*')""")


def catalog(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def extracted(tmp_path: Path) -> Catalog:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l",  # noqa: S603
                    "-k", "lazy_gettext", "-o", str(pot), "--no-location", "--project",
                    "course_app", "."], check=True, cwd=ROOT, capture_output=True)
    with pot.open("rb") as handle:
        return read_po(handle)


def _untranslated(message) -> bool:  # noqa: ANN001 - babel's Message
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(s and s.strip() for s in strings)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_no_untranslated_or_fuzzy_entry(locale):
    entries = [m for m in catalog(locale) if m.id]
    assert entries, f"the {locale} catalog is empty"
    fuzzy = [m.id for m in entries if m.fuzzy]
    missing = [m.id for m in entries if _untranslated(m)]
    assert fuzzy == [], f"{locale}: fuzzy entries"
    assert missing == [], f"{locale}: untranslated entries"


def test_every_msgid_of_the_code_is_in_both_catalogs(tmp_path):
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted(tmp_path) if m.id}
    assert len(wanted) > 50  # the extraction really ran over the code and templates
    for locale in LOCALES:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(locale) if m.id}
        absent = sorted(wanted - known)
        assert absent == [], (f"{locale}: {len(absent)} msgids missing (run scripts/i18n.py), "
                              f"such as {absent[:10]}")


class BareText(HTMLParser):
    """Collects words a page would show that no translation function produced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_TEXT:
            self.skipping.append(tag)
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and words(value):
                self.found.append(f"line {self.getpos()[0]}: {name}={value.strip()!r}")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        data = ATTRIBUTE_TEXT.sub(" ", data)
        if not self.skipping and words(data) and data.strip() not in UNTRANSLATED_ON_PURPOSE:
            self.found.append(f"line {self.getpos()[0]}: {data.strip()!r}")


def words(text: str) -> bool:
    """Letters left once whitespace, punctuation, numbers and symbols are gone."""
    return any(ch.isalpha() for ch in text)


def bare_text(source: str) -> list[str]:
    def blank(match: re.Match[str]) -> str:  # keeps line numbers
        return "\n" * match.group(0).count("\n") + " "

    parser = BareText()
    parser.feed(JINJA.sub(blank, TRANS_BLOCK.sub(blank, source)))
    parser.close()
    return parser.found


def test_the_scanner_finds_bare_text_and_ignores_translated_text():
    source = ('<h1>{{ _("Hello") }}</h1><p>Xin chào</p> · 12% – <button title="Close">'
              '{% trans %}Go{% endtrans %}</button><img alt="{{ _(\'Logo\') }}">'
              '<script src="/a.js"></script>{# a note #}<code>x = 1</code>')
    assert bare_text(source) == ["line 1: 'Xin chào'", "line 1: title='Close'"]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_bare_text(path):
    assert bare_text(path.read_text(encoding="utf-8")) == []
