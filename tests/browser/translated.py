"""Untranslated text on a page: a visible string that is, word for word, an interface message
of the other language (an English msgid on a Vietnamese page, or its Vietnamese translation on an
English page). Messages that read the same in both languages ("Email", "CSV") are left out, and
so is text marked as being in another language (the language switcher's "English")."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

CATALOG = (Path(__file__).resolve().parents[2] / "course_app" / "translations" / "vi"
           / "LC_MESSAGES" / "messages.po")
# Text nodes, and the text alternatives a screen reader reads out, of what is rendered.
VISIBLE_TEXT = """() => {
  const found = [], page = document.documentElement.lang;
  const foreign = el => (el.closest('[lang]')?.lang || page) !== page;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, template') || foreign(parent)) continue;
    found.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    if (!foreign(el)) for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      if (el.hasAttribute(name)) found.push(el.getAttribute(name).trim());
  found.push(document.title.trim());
  return found.filter(text => text.length > 1);
}"""


@cache
def _other_language() -> dict[str, frozenset[str]]:
    """lang → the interface strings that must not appear on a page in `lang`."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    english, vietnamese = set(), set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        if "%" in message.id or message.string == message.id or message.fuzzy:
            continue  # placeholders are filled in; identical strings are not a mistake
        english.add(message.id.strip())
        vietnamese.add(str(message.string).strip())
    return {"vi": frozenset(english), "en": frozenset(vietnamese)}


def untranslated(page: Any, lang: str) -> list[str]:
    wrong = _other_language()[lang]
    return sorted({text for text in page.evaluate(VISIBLE_TEXT) if text in wrong})
