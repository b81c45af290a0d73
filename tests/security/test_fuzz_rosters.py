"""Fuzzing the roster importer (SECURITY.md 16): any bytes named .csv, any spreadsheet cells in
an .xlsx, and damaged .xlsx files give a roster whose problems name a row (and a column where
there is one), never an unhandled exception."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from course_app.people.roster import COLUMNS, MAX_ROWS, parse_roster

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
HEADER = ",".join(COLUMNS)
cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
csv_lines = st.lists(st.lists(cell_text, max_size=6).map(lambda cells: ",".join(cells)),
                     max_size=12)


def assert_clear(roster) -> None:  # type: ignore[no-untyped-def]
    """Every problem names a row inside the file and says what is wrong."""
    problems = list(roster.file_errors) + [e for row in roster.rows for e in row.errors]
    for problem in problems:
        assert 1 <= problem.row <= MAX_ROWS + 2
        assert problem.column is None or problem.column in COLUMNS
        assert problem.code and problem.message
    if not roster.file_errors:
        assert roster.rows, "a roster without rows must say so"


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_csv(data: bytes) -> None:
    assert_clear(parse_roster(data, "danh-sach.csv"))


@FUZZ
@given(csv_lines, st.sampled_from([",", ";"]), st.booleans())
def test_any_rows_under_a_good_header(lines: list[str], separator: str, bom: bool) -> None:
    text = "\n".join([HEADER, *lines]).replace(",", separator)
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    assert_clear(parse_roster(data, "danh-sach.csv"))


@FUZZ
@given(st.lists(st.lists(st.one_of(cell_text, st.integers(), st.floats(allow_nan=False),
                                   st.none()), max_size=6), max_size=10))
def test_any_cells_in_a_workbook(rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        cleaned = [c.replace("\x00", "") if isinstance(c, str) else c for c in row]
        try:
            sheet.append(cleaned)
        except IllegalCharacterError:  # openpyxl refuses control characters: no such file
            return
    buffer = io.BytesIO()
    book.save(buffer)
    assert_clear(parse_roster(buffer.getvalue(), "danh-sach.xlsx"))


@FUZZ
@given(st.binary(max_size=3000))
def test_damaged_workbooks(tail: bytes) -> None:
    roster = parse_roster(b"PK\x03\x04" + tail, "danh-sach.xlsx")
    assert roster.file_errors and not roster.rows
    assert_clear(roster)
