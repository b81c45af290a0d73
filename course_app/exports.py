"""Spreadsheet downloads that open cleanly in Excel and cannot run anything there.

CSV: UTF-8 with a BOM (so Excel reads Vietnamese), and text cells that start with = + - @, a tab
or a carriage return get a leading ' so no cell is read as a formula (OWASP CSV injection; ASVS
1.2.10). Numbers stay numbers. XLSX: text cells are typed as strings (openpyxl would otherwise
store "=…" as a formula), the header row is bold and frozen, numbers are numbers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .domain.text import strip_marks

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60
# Excel refuses these in a sheet name (openpyxl raises ValueError), and a name of more than 31
# characters or one that starts or ends with an apostrophe.
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
# Characters that are path separators, reserved on Windows, or controls in a download's name.
FILE_NAME_FORBIDDEN = re.compile(r'[\\/?*\[\]:"<>|\x00-\x1f\x7f]')

Cell = str | int | float | date | datetime | None


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Cell) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(sheet: Any, row: int, column: int, value: Cell) -> int:
    """Write one cell; returns the width it needs."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # Excel has no time zones; callers pass local time
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
        return len(value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
        return 16
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
        return 10
    return len(str(value)) if value is not None else 0


def sheet_name(title: str) -> str:
    """A name Excel accepts for a sheet: "Lớp A/2025" becomes "Lớp A-2025"."""
    name = SHEET_NAME_FORBIDDEN.sub("-", title).strip().strip("'")[:31].strip().strip("'")
    return name if name and name.lower() != "history" else name + "Sheet1"  # Excel reserves it


def file_name(name: str) -> str:
    """A download name without path separators or characters Windows refuses."""
    return FILE_NAME_FORBIDDEN.sub("-", name).strip(" .") or "download"


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Cell]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(title)
    widths = [len(h) for h in header]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for column, name in enumerate(header, start=1):
        _xlsx_cell(sheet, 1, column, name)
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            widths[column - 1] = max(widths[column - 1], _xlsx_cell(sheet, row_number, column,
                                                                    value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_COLUMN_WIDTH,
                                                                       width + 2)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """An ASCII fallback name plus the UTF-8 name (RFC 6266 / RFC 5987)."""
    filename = file_name(filename)
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_"
                       for ch in strip_marks(filename)) or "download"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def csv_download(filename: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Response:
    return download(csv_bytes(header, rows), filename, CSV_TYPE)


def xlsx_download(filename: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
                  title: str) -> Response:
    return download(xlsx_bytes(header, rows, title), filename, XLSX_TYPE)


class _Chunks(io.RawIOBase):
    """A write-only stream that hands back what was written since the last call."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def zip_stream(files: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """A zip archive produced file by file, so a download of hundreds of PDFs starts at once
    and never sits whole in memory. zipfile writes data descriptors on an unseekable stream."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
            yield sink.take()
    yield sink.take()
