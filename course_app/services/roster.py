"""Bulk enrolment from a spreadsheet: CSV (UTF-8 with or without BOM, comma or semicolon) or
XLSX with the columns full_name, email, unit, position.

Reading and checking never write: `parse_roster` is pure and `check_accounts` only reads, so a
dry run shows every row with its errors. `import_roster` writes all rows or none. Row numbers
are the ones a spreadsheet shows (the header is row 1)."""

from __future__ import annotations

import csv
import io
import os
import secrets
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..domain.text import fold, nfc
from ..extensions import db
from ..models import Cohort, Enrolment, User
from ..security.passwords import ONE_TIME_HASHER
from . import audit
from .accounts import EMAIL, clean_name, normalise_email
from .errors import ServiceError

COLUMNS = ("full_name", "email", "unit", "position")
REQUIRED = ("full_name", "email")
LIMITS = {"full_name": 200, "email": 254, "unit": 200, "position": 200}
HEADER_ALIASES = {
    "full_name": "full_name", "fullname": "full_name", "name": "full_name",
    "ho_va_ten": "full_name", "ho_ten": "full_name", "email": "email", "e_mail": "email",
    "unit": "unit", "don_vi": "unit", "position": "position", "chuc_vu": "position",
}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 64
MAX_XLSX_UNPACKED = 64 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
LEGIBLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper
# OWASP's minimum argon2id profile for one-time passwords (why: security/passwords.py).
_ONE_TIME_HASHER = ONE_TIME_HASHER


@dataclass(frozen=True)
class RowError:
    row: int                 # 1 is the header row
    column: str | None       # one of COLUMNS, or None for the whole row or file
    code: str
    message: str             # English, for the command line; views translate `code`
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}: " + (f"{self.column}: " if self.column else "") + self.message


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


@dataclass(frozen=True)
class Credential:
    full_name: str
    email: str
    unit: str | None
    position: str | None
    password: str


@dataclass
class ImportResult:
    credentials: list[Credential]
    created: int
    enrolled_existing: int
    already_enrolled: int


class _FileProblem(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _problem(row: int, code: str, message: str, **params: Any) -> _FileProblem:
    return _FileProblem(RowError(row, None, code, message, params))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return 0  # openpyxl reports the damage below


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if _unpacked_size(data) > MAX_XLSX_UNPACKED:  # a "zip bomb" never reaches the parser
        raise _problem(1, "xlsx_too_large", "the workbook is too large once unpacked",
                       limit_mb=MAX_XLSX_UNPACKED // (1024 * 1024))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _problem(1, "bad_xlsx", "the file is not a readable XLSX workbook") from error
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise _problem(row, "not_utf8", "the file is not UTF-8 text (save it as 'CSV UTF-8')",
                       ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[list[str]] = []
    # strict: an unclosed quote is an error on its row, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for values in reader:
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise _problem(len(rows) + 1, "bad_csv", f"the CSV cannot be read ({error})") from error
    return rows


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The cells of every row, the header first."""
    if len(data) > MAX_BYTES:
        raise _problem(1, "too_large", f"the file is larger than {MAX_BYTES // 1024} KiB",
                       limit_kb=MAX_BYTES // 1024)
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    return _csv_rows(data)


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
            raise _problem(1, "duplicate_column", f"the column {name} appears twice", column=name)
        else:
            found[name] = index
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise _problem(1, "missing_column", "row 1 must be the header with the columns "
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
            raise _problem(1, "no_header", "row 1 must be the header with the columns "
                           + ", ".join(COLUMNS))
        columns = _columns(table[0], roster)
        if len(table) > MAX_ROWS + 1:
            raise _problem(MAX_ROWS + 2, "too_many_rows", f"more than {MAX_ROWS} rows",
                           limit=MAX_ROWS)
    except _FileProblem as problem:
        roster.file_errors.append(problem.error)
        return roster
    first_seen: dict[str, int] = {}
    for number, values in enumerate(table[1:], start=2):
        if any(v.strip() for v in values):
            roster.rows.append(_row(number, values, columns, first_seen))
    if not roster.rows:
        roster.file_errors.append(RowError(2, None, "no_rows", "the file has no data rows"))
    return roster


def _existing_accounts(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        found.update((u.email, u) for u in db.session.scalars(
            sa.select(User).where(User.email.in_(chunk))))
    return found


def check_accounts(roster: Roster, cohort: Cohort) -> dict[str, User]:
    """Mark rows whose email has an account; refuse accounts that cannot be enrolled."""
    accounts = _existing_accounts([r.email for r in roster.rows if r.email])
    enrolled = set(db.session.scalars(sa.select(Enrolment.user_id).where(
        Enrolment.cohort_id == cohort.id))) if accounts else set()
    for row in roster.rows:
        user = accounts.get(row.email)
        if user is None:
            continue
        row.status = "enrolled" if user.id in enrolled else "existing"
        row.account_name = user.full_name if user.full_name != row.full_name else None
        if user.role != "trainee":
            row.errors.append(RowError(row.row, "email", "not_trainee", "this email belongs to a "
                                       "trainer or administrator account"))
        elif not user.active:
            row.errors.append(RowError(row.row, "email", "inactive", "this account is disabled"))
    return accounts


def one_time_password() -> str:
    raw = "".join(secrets.choice(LEGIBLE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _hash_all(passwords: list[str], progress: Callable[[int], None] | None) -> list[str]:
    workers = max(1, min(4, os.cpu_count() or 1))
    hashes = []
    with ThreadPoolExecutor(max_workers=workers) as pool:  # argon2 releases the GIL
        for digest in pool.map(_ONE_TIME_HASHER.hash, passwords):
            hashes.append(digest)
            if progress:
                progress(1)
    return hashes


def single_row(full_name: str, email: str, unit: str | None, position: str | None) -> Roster:
    """A roster of one trainee typed into a form, checked like a file row."""
    values = [full_name, email, unit or "", position or ""]
    row = _row(2, values, {name: i for i, name in enumerate(COLUMNS)}, {})
    return Roster("", rows=[row])


def import_roster(roster: Roster, cohort: Cohort, actor_id: int | None = None,
                  progress: Callable[[int], None] | None = None,
                  action: str = "cohort.import") -> ImportResult:
    """Create the new accounts and enrol every row, or raise and write nothing."""
    accounts = check_accounts(roster, cohort)
    if not roster.ok:
        raise ServiceError("roster_invalid", f"{len(roster.errors)} error(s) in the file; "
                           "nothing was imported", errors=roster.errors)
    new_rows = [r for r in roster.rows if r.status == "new"]
    passwords = [one_time_password() for _ in new_rows]
    users = [User(email=r.email, full_name=r.full_name, unit=r.unit, position=r.position,
                  role="trainee", password_hash=digest, must_change_password=True)
             for r, digest in zip(new_rows, _hash_all(passwords, progress), strict=True)]
    db.session.add_all(users)
    joining = users + [accounts[r.email] for r in roster.rows if r.status == "existing"]
    try:
        db.session.flush()
        db.session.add_all([Enrolment(cohort_id=cohort.id, user_id=u.id) for u in joining])
        db.session.flush()
    except IntegrityError as error:
        raise ServiceError("roster_conflict", "some of these accounts or enrolments were created "
                           "at the same time by someone else; nothing was imported; try again"
                           ) from error
    result = ImportResult([Credential(r.full_name, r.email, r.unit, r.position, p)
                           for r, p in zip(new_rows, passwords, strict=True)],
                          len(users), roster.count("existing"), roster.count("enrolled"))
    audit.record(action, actor_id, f"cohort:{cohort.id}", file=roster.filename[:200],
                 rows=len(roster.rows), created=result.created,
                 enrolled_existing=result.enrolled_existing,
                 already_enrolled=result.already_enrolled, user_ids=[u.id for u in joining])
    return result


CREDENTIAL_COLUMNS = ("full_name", "email", "unit", "position", "password")


def credential_rows(credentials: list[Credential]) -> list[list[str | None]]:
    return [[c.full_name, c.email, c.unit, c.position, c.password] for c in credentials]
