"""A roster's cells checked on their own, without the database: the header's columns (with
their Vietnamese and English aliases), every row's required cells, lengths, email addresses and
duplicates. Row numbers are the ones a spreadsheet shows (the header is row 1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.text import fold, nfc
from .accounts import EMAIL, clean_name, normalise_email
from .roster_files import MAX_ROWS, FileProblem, RowError, problem, read_rows

COLUMNS = ("full_name", "email", "unit", "position")
REQUIRED = ("full_name", "email")
LIMITS = {"full_name": 200, "email": 254, "unit": 200, "position": 200}
HEADER_ALIASES = {
    "full_name": "full_name", "fullname": "full_name", "name": "full_name",
    "ho_va_ten": "full_name", "ho_ten": "full_name", "email": "email", "e_mail": "email",
    "unit": "unit", "don_vi": "unit", "position": "position", "chuc_vu": "position",
}


@dataclass
class RosterRow:
    row: int
    full_name: str
    email: str
    unit: str | None
    position: str | None
    errors: list[RowError] = field(default_factory=list)
    status: str = "new"              # new | existing (account found) | enrolled (already in)
    account_name: str | None = None  # the existing account's name when it differs
    held: bool = False               # an account outside the trainer's reach (people/roster)


@dataclass
class Roster:
    filename: str
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [e for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _header_key(cell: str) -> str:
    return "_".join(fold(cell).replace("-", " ").replace("_", " ").split())


def _columns(header: list[str], roster: Roster) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = HEADER_ALIASES.get(_header_key(cell))
        if name is None:
            if cell.strip():
                roster.ignored_columns.append(cell.strip())
        elif name in found:
            raise problem(1, "duplicate_column", f"the column {name} appears twice", column=name)
        else:
            found[name] = index
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise problem(1, "missing_column", "row 1 must be the header with the columns "
                       f"{', '.join(COLUMNS)}; missing: {', '.join(missing)}",
                       columns=", ".join(missing))
    return found


def _value(values: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return values[index] if index is not None and index < len(values) else ""


def _row(number: int, values: list[str], columns: dict[str, int],
         first_seen: dict[str, int]) -> RosterRow:
    cleaned = {name: clean_name(_value(values, columns, name)) for name in COLUMNS}
    cleaned["email"] = normalise_email(cleaned["email"])
    row = RosterRow(number, cleaned["full_name"], cleaned["email"], cleaned["unit"] or None,
                    cleaned["position"] or None)
    for name in COLUMNS:
        if name in REQUIRED and not cleaned[name]:
            row.errors.append(RowError(number, name, "required", f"{name} is empty"))
        elif len(cleaned[name]) > LIMITS[name]:
            row.errors.append(RowError(number, name, "too_long", f"longer than {LIMITS[name]} "
                                       "characters", {"limit": LIMITS[name]}))
    email = cleaned["email"]
    if not email or any(e.column == "email" for e in row.errors):
        return row
    if not EMAIL.match(email):
        row.errors.append(RowError(number, "email", "bad_email", f"'{email}' is not an email "
                                   "address", {"value": email}))
    elif email in first_seen:
        row.errors.append(RowError(number, "email", "duplicate_email", "the same email is on row "
                                   f"{first_seen[email]}", {"first_row": first_seen[email]}))
    else:
        first_seen[email] = number
    return row


def parse_roster(data: bytes, filename: str) -> Roster:
    """Read and check the file on its own (no database): every row with its errors."""
    roster = Roster(nfc(filename))
    try:
        table = read_rows(data, filename)
        if not table or not any(c.strip() for c in table[0]):
            raise problem(1, "no_header", "row 1 must be the header with the columns "
                          + ", ".join(COLUMNS))
        columns = _columns(table[0], roster)
        if len(table) > MAX_ROWS + 1:
            raise problem(MAX_ROWS + 2, "too_many_rows", f"more than {MAX_ROWS} rows",
                          limit=MAX_ROWS)
    except FileProblem as refused:
        roster.file_errors.append(refused.error)
        return roster
    first_seen: dict[str, int] = {}
    for number, values in enumerate(table[1:], start=2):
        if any(v.strip() for v in values):
            roster.rows.append(_row(number, values, columns, first_seen))
    if not roster.rows:
        roster.file_errors.append(RowError(2, None, "no_rows", "the file has no data rows"))
    return roster


def single_row(full_name: str, email: str, unit: str | None, position: str | None) -> Roster:
    """A roster of one trainee typed into a form, checked like a file row."""
    values = [full_name, email, unit or "", position or ""]
    row = _row(2, values, {name: i for i, name in enumerate(COLUMNS)}, {})
    return Roster("", rows=[row])
