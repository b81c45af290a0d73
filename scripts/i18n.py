"""Keep the catalogs in step with the code: extract messages, update vi and en catalogs, and
make English complete by copying each English msgid (the source language) into its msgstr.

Run: .venv/bin/python scripts/i18n.py   (then translate the new Vietnamese entries)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "course_app" / "translations"
POT = TRANSLATIONS / "messages.pot"
BIN = Path(sys.executable).parent


def run(*args: str) -> None:
    subprocess.run([str(BIN / "pybabel"), *args], check=True, cwd=ROOT,  # noqa: S603
                   stdout=subprocess.DEVNULL)


def fill_english() -> None:
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def main() -> None:
    run("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(POT),
        "--no-location", "--sort-output", "--project", "course_app", "-w", "100", ".")
    # Width 100 as the committed catalogs: at Babel's default (76) every run rewrapped them.
    run("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
        "--ignore-obsolete", "-w", "100")
    fill_english()
    run("compile", "-d", str(TRANSLATIONS), "-f")


if __name__ == "__main__":
    main()
