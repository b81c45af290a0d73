"""Reading a roster file on its own (no database): formats, row numbers, every error."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from course_app.people.roster import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED,
    one_time_password,
    parse_roster,
    single_row,
)

ROSTER = Path(__file__).parent.parent / "fixtures" / "roster"
HEADER = "full_name,email,unit,position\n"


def parse_text(text: str, name: str = "list.csv", encoding: str = "utf-8"):
    return parse_roster(text.encode(encoding), name)


def xlsx(rows, sheet_title="Danh sách") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=…" as text, as a spreadsheet user would type it
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def codes(roster):
    return [(e.row, e.column, e.code) for e in roster.errors]


def test_csv_with_bom_and_commas():
    roster = parse_roster((ROSTER / "bom_comma.csv").read_bytes(), "bom_comma.csv")
    assert roster.ok, roster.errors
    assert [r.row for r in roster.rows] == [2, 3, 4]
    first, second, third = roster.rows
    assert first.full_name == "Nguyễn Thị Hằng"   # the BOM is not glued to the first header
    assert second.unit == "Ban Tuyên giáo, Thành ủy"  # a quoted comma stays in the cell
    assert third.email == "anh.lm@haiphong.gov.vn"    # emails are lower-cased
    assert third.position is None


def test_csv_with_semicolons_nfd_names_and_blank_lines():
    roster = parse_roster((ROSTER / "semicolon.csv").read_bytes(), "semicolon.csv")
    assert roster.ok, roster.errors
    names = [r.full_name for r in roster.rows]
    assert names == ["Phạm Quỳnh Hương", "Đỗ Thị Lan"]
    assert unicodedata.is_normalized("NFC", names[0])
    assert [r.row for r in roster.rows] == [2, 4]  # the blank row 3 is skipped but counted


def test_broken_rows_are_each_reported_with_row_column_and_reason():
    roster = parse_roster((ROSTER / "broken.csv").read_bytes(), "broken.csv")
    assert not roster.ok
    assert codes(roster) == [(3, "full_name", "required"), (5, "email", "bad_email"),
                             (6, "email", "duplicate_email")]
    duplicate = roster.errors[-1]
    assert duplicate.params == {"first_row": 2}
    assert "row 2" in duplicate.message and str(duplicate).startswith("row 6: email:")
    assert len(roster.rows) == 5  # every row is shown in the dry run, good and bad


def test_xlsx_generated_here():
    data = xlsx([["full_name", "email", "unit", "position"],
                 ["Nguyễn Thị Hằng", "hang@example.vn", "Sở Văn hóa", "Chuyên viên"],
                 [None, None, None, None],
                 ["=HYPERLINK(\"x\")", "formula@example.vn", 12345, None]])
    roster = parse_roster(data, "danh-sach.xlsx")
    assert roster.ok, roster.errors
    assert [r.row for r in roster.rows] == [2, 4]
    assert roster.rows[1].unit == "12345"  # numbers become text, without ".0"
    assert roster.rows[1].full_name == '=HYPERLINK("x")'  # kept as text; exports neutralise it


def test_xlsx_errors_use_spreadsheet_row_numbers():
    data = xlsx([["Họ và tên", "Email", "Đơn vị", "Chức vụ"], ["A", "a@example.vn"],
                 [None], [None], ["B", "not-an-email"]])
    roster = parse_roster(data, "x.xlsx")
    assert codes(roster) == [(5, "email", "bad_email")]


def test_xlsx_recognised_by_content_whatever_the_name():
    data = xlsx([["full_name", "email"], ["A", "a@example.vn"]])
    assert parse_roster(data, "upload.bin").ok


def test_damaged_xlsx_is_a_clear_file_error():
    roster = parse_roster(b"PK\x03\x04 not really a zip", "x.xlsx")
    assert codes(roster) == [(1, None, "bad_xlsx")]
    assert roster.rows == []


def test_xlsx_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_XLSX_UNPACKED + 1))
    assert len(buffer.getvalue()) < MAX_BYTES
    assert codes(parse_roster(buffer.getvalue(), "bomb.xlsx")) == [(1, None, "xlsx_too_large")]


def test_xlsx_columns_past_the_limit_are_not_read():
    wide = ["full_name", "email"] + [f"extra{i}" for i in range(MAX_COLUMNS + 10)]
    roster = parse_roster(xlsx([wide, ["A", "a@example.vn"]]), "wide.xlsx")
    assert roster.ok and len(roster.ignored_columns) == MAX_COLUMNS - 2


def test_header_aliases_case_and_extra_columns():
    roster = parse_text("Full Name,E-mail,Don vi,Chức vụ,role,score\n"
                        "A B,a@example.vn,U,P,admin,100\n")
    assert roster.ok
    assert roster.ignored_columns == ["role", "score"]  # never mass-assigned
    assert (roster.rows[0].unit, roster.rows[0].position) == ("U", "P")


def test_columns_in_any_order_and_unit_position_optional():
    roster = parse_text("email,full_name\nb@example.vn,  Bình   An \n")
    assert roster.ok
    assert (roster.rows[0].full_name, roster.rows[0].unit) == ("Bình An", None)


def test_missing_required_column():
    roster = parse_text("full_name,unit\nA,U\n")
    assert codes(roster) == [(1, None, "missing_column")]
    assert roster.errors[0].params == {"columns": "email"}


def test_duplicate_column():
    assert codes(parse_text("email,full_name,email\n")) == [(1, None, "duplicate_column")]


def test_empty_file_and_header_only():
    assert codes(parse_text("")) == [(1, None, "no_header")]
    assert codes(parse_text("\n\nfull_name,email\n")) == [(1, None, "no_header")]
    assert codes(parse_text(HEADER)) == [(2, None, "no_rows")]
    assert codes(parse_text(HEADER + ",,,\n")) == [(2, None, "no_rows")]


def test_not_utf8_names_the_row():
    data = (HEADER + "An,a@example.vn,U,P\n").encode() + "Hằng,h@example.vn,U,P\n".encode(
        "utf-16-le")
    roster = parse_roster(data, "list.csv")
    assert codes(roster) == [(3, None, "not_utf8")]


def test_windows_1258_file_is_refused_not_garbled():
    roster = parse_roster(HEADER.encode() + "Đào,d@example.vn,U,P\n".encode("cp1258"), "x.csv")
    assert codes(roster) == [(2, None, "not_utf8")]


def test_an_unclosed_quote_is_an_error_not_a_swallowed_file():
    roster = parse_text(HEADER + "A,a@example.vn,,\n\"B,b@example.vn,,\nC,c@example.vn,,\n")
    assert codes(roster) == [(3, None, "bad_csv")]
    assert roster.rows == []


def test_too_large_and_too_many_rows():
    assert codes(parse_roster(b"x" * (MAX_BYTES + 1), "x.csv")) == [(1, None, "too_large")]
    many = HEADER + "".join(f"N,{i}@example.vn,,\n" for i in range(MAX_ROWS + 1))
    assert [e.code for e in parse_text(many).errors] == ["too_many_rows"]


@pytest.mark.parametrize(("line", "column", "code"), [
    (",a@example.vn,U,P", "full_name", "required"),
    ("A,,U,P", "email", "required"),
    ("A,a@@example.vn,U,P", "email", "bad_email"),
    ("A,a b@example.vn,U,P", "email", "bad_email"),
    ("A,a@example,U,P", "email", "bad_email"),
    ("A," + "x" * 250 + "@example.vn,U,P", "email", "too_long"),
    ("A" * 201 + ",a@example.vn,U,P", "full_name", "too_long"),
    ("A,a@example.vn," + "U" * 201 + ",P", "unit", "too_long"),
    ("A,a@example.vn,U," + "P" * 201, "position", "too_long"),
])
def test_row_errors(line, column, code):
    roster = parse_text(HEADER + line + "\n")
    assert codes(roster) == [(2, column, code)]


def test_every_error_of_a_row_is_listed():
    roster = parse_text(HEADER + ",bad," + "U" * 201 + ",\n")
    assert codes(roster) == [(2, "full_name", "required"), (2, "unit", "too_long"),
                             (2, "email", "bad_email")]


def test_duplicates_ignore_case_and_unicode_form():
    roster = parse_text(HEADER + "A,an@example.vn,,\nB, AN@Example.VN ,,\n")
    assert codes(roster) == [(3, "email", "duplicate_email")]


def test_short_rows_are_padded():
    roster = parse_text(HEADER + "A,a@example.vn\n")
    assert roster.ok and roster.rows[0].unit is None


def test_one_row_from_a_form():
    roster = single_row("  Trần  Văn Đức ", "DUC@example.vn", "", None)
    assert roster.ok
    assert (roster.rows[0].full_name, roster.rows[0].email) == ("Trần Văn Đức", "duc@example.vn")
    assert single_row("", "x", None, None).errors[0].code == "required"


def test_one_time_passwords_are_long_random_and_legible():
    passwords = {one_time_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 19 and password.count("-") == 3
        assert not set(password) & set("01ilo")
