"""Moodle GIFT import and export for quiz questions in our authoring format.

`parse_gift(text)` reads a GIFT file into question dicts (docs/content-format.md) with per-block
errors and warnings; `export_gift(questions)` writes question dicts back as GIFT.
"""

from __future__ import annotations

from .gift_export import export_gift
from .gift_parse import ImportResult, LineError, parse_gift

__all__ = ["ImportResult", "LineError", "export_gift", "parse_gift"]
