"""docs/security.md names, for each of its promises (22 and more), tests that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_named_test_exists():
    references = REFERENCE.findall(DOC.read_text(encoding="utf-8"))
    assert len(references) > 60
    missing = [f"{path}::{name}" for path, name in references
               if not (ROOT / path).is_file() or name not in _test_names(ROOT / path)]
    assert not missing, missing


def test_each_promise_has_a_row_with_tests():
    rows = re.findall(r"^\| (\d+) \|[^|]+\|(.+)\|$", DOC.read_text(encoding="utf-8"), re.M)
    assert len(rows) >= 22  # SECURITY.md's 22, and those added since
    assert [int(number) for number, _tests in rows] == list(range(1, len(rows) + 1))
    for number, tests in rows:
        assert REFERENCE.search(tests), f"promise {number} names no test"
