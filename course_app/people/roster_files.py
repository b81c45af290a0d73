"""The cells of a roster file, CSV or XLSX, within limits set from a real roster: 2,000 trainees
fill about 700 KB of worksheet XML (55 KB zipped) and 275 KB of CSV. Every limit is checked
before the work it bounds, so a hostile file costs no more than a real one (docs/security.md,
promise 24): the zip's declared sizes before unpacking (a "zip bomb" of shared strings cost
37 s and 416 MB under the former 64 MiB cap), then openpyxl in read-only mode, which streams
the rows, and reading stops at the first row past MAX_ROWS."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000                       # data rows, the header not counted
MAX_COLUMNS = 64
MAX_XLSX_UNPACKED = 8 * 1024 * 1024   # every part of the workbook, unpacked
MAX_XLSX_PART = 4 * 1024 * 1024       # one part (the worksheet, the shared strings, the styles)
MAX_XLSX_PARTS = 200
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RowError:
    row: int                 # 1 is the header row
    column: str | None       # one of the roster's columns, or None for the whole row or file
    code: str
    message: str             # English, for the command line; views translate `code`
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}: " + (f"{self.column}: " if self.column else "") + self.message


class FileProblem(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def problem(row: int, code: str, message: str, **params: Any) -> FileProblem:
    return FileProblem(RowError(row, None, code, message, params))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _too_large() -> FileProblem:
    return problem(1, "xlsx_too_large", "the workbook is too large once unpacked",
                   limit_mb=MAX_XLSX_UNPACKED // (1024 * 1024))


def _check_unpacked_sizes(data: bytes) -> None:
    """Refuse by the sizes the archive declares; zipfile never unpacks more than it declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return  # openpyxl reports the damage
    if len(parts) > MAX_XLSX_PARTS or any(p.file_size > MAX_XLSX_PART for p in parts) \
            or sum(p.file_size for p in parts) > MAX_XLSX_UNPACKED:
        raise _too_large()


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked_sizes(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise problem(1, "bad_xlsx", "the file is not a readable XLSX workbook") from error
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break  # the first row past the cap: the rest is never read
        return rows
    except Exception as error:  # damage in the worksheet shows only while streaming it
        raise problem(len(rows) + 1, "bad_xlsx", "the file is not a readable XLSX workbook",
                      ) from error
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise problem(row, "not_utf8", "the file is not UTF-8 text (save it as 'CSV UTF-8')",
                      ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[list[str]] = []
    # strict: an unclosed quote is an error on its row, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for values in reader:
            rows.append(values[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise problem(len(rows) + 1, "bad_csv", f"the CSV cannot be read ({error})") from error
    return rows


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The cells of every row, the header first; at most MAX_ROWS + 2 rows (one past the cap,
    so the caller can tell the file is too long)."""
    if len(data) > MAX_BYTES:
        raise problem(1, "too_large", f"the file is larger than {MAX_BYTES // 1024} KiB",
                      limit_kb=MAX_BYTES // 1024)
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    return _csv_rows(data)
