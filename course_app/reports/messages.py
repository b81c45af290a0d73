"""Translated messages for the errors of a roster import (people/roster.py codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..people.roster import RowError

ROW_ERRORS = {
    "too_large": _l("The file is larger than %(limit_kb)s KiB."),
    "xlsx_too_large": _l("The workbook holds more than %(limit_mb)s MiB of data once unpacked. "
                         "Keep only the list of trainees in it."),
    "not_utf8": _l("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or upload "
                   "the .xlsx file."),
    "bad_csv": _l("The CSV file cannot be read here (an unclosed quote, or a damaged file)."),
    "bad_xlsx": _l("The file is not a readable Excel (.xlsx) workbook."),
    "no_header": _l("Row 1 must be the header: full_name, email, unit, position."),
    "missing_column": _l("Row 1 must be the header: full_name, email, unit, position. "
                         "Missing: %(columns)s."),
    "duplicate_column": _l("The column %(column)s appears twice in the header."),
    "too_many_rows": _l("The file has more than %(limit)s rows. Split it into several files."),
    "no_rows": _l("The file has a header but no trainees."),
    "required": _l("This cell is empty; it is required."),
    "too_long": _l("This cell is longer than %(limit)s characters."),
    "bad_email": _l("“%(value)s” is not an email address."),
    "duplicate_email": _l("The same email is already on row %(first_row)s."),
    "not_trainee": _l("This email belongs to a trainer or administrator account, which cannot "
                      "be enrolled as a trainee."),
    "inactive": _l("The account with this email is disabled. Ask an administrator."),
    "needs_admin": _l("This address belongs to an account outside your cohorts. Only an "
                      "administrator can add it; ask one to enrol this person."),
}

SERVICE_ERRORS = {
    "already_enrolled": _l("This person is already in the cohort."),
    "roster_conflict": _l("Some of these accounts were created by someone else at the same "
                          "time. Nothing was imported; please try again."),
    "needs_admin": _l("This trainee is also in a cohort you do not teach, so only an "
                      "administrator can reset their password."),
}


def row_error_text(error: RowError) -> str:
    message = ROW_ERRORS.get(error.code)
    return error.message if message is None else str(message) % error.params


def service_error_text(code: str, fallback: str) -> str:
    message = SERVICE_ERRORS.get(code)
    return fallback if message is None else str(message)
