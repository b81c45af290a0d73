"""Bulk enrolment from a spreadsheet: CSV (UTF-8 with or without BOM, comma or semicolon) or
XLSX with the columns full_name, email, unit, position.

Reading and checking never write: `parse_roster` (roster_files, roster_parse) is pure and
`check_accounts` only reads, so a dry run shows every row with its errors. `import_roster` writes
all rows or none. A trainer reaches only the accounts the rules of domain/reach.py allow: a
preview shows an account outside that reach as it shows an unknown address (no name, no role),
and the import refuses it, naming the row, for an administrator to add."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..domain import reach as rules
from ..domain.errors import ServiceError
from ..domain.names import sort_key
from ..extensions import db
from ..models import Cohort, Enrolment, User
from ..security.passwords import INVITED
from . import audit, invitations, password_batch, reach, welcome
from .roster_files import (  # noqa: F401 - the limits are part of this module's interface
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_PART,
    MAX_XLSX_UNPACKED,
    RowError,
)
from .roster_parse import (  # noqa: F401 - as above
    COLUMNS,
    Roster,
    RosterRow,
    parse_roster,
    single_row,
)

LEGIBLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper


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
    batch_id: int | None = None  # the job hashing the one-time passwords (password_batch.py)
    invited: int = 0  # new accounts invited by mail instead of given a one-time password


def _existing_accounts(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        found.update((u.email, u) for u in db.session.scalars(
            sa.select(User).where(User.email.in_(chunk))))
    return found


def _check_as_operator(row: RosterRow, user: User, enrolled: set[int]) -> None:
    row.status = "enrolled" if user.id in enrolled else "existing"
    row.account_name = user.full_name if user.full_name != row.full_name else None
    if user.role != "trainee":
        row.errors.append(RowError(row.row, "email", "not_trainee", "this email belongs to a "
                                   "trainer or administrator account"))
    elif not user.active:
        row.errors.append(RowError(row.row, "email", "inactive", "this account is disabled"))


def _needs_admin(row: RosterRow) -> RowError:
    return RowError(row.row, "email", "needs_admin", "this address belongs to an account "
                    "outside your cohorts; an administrator must add it")


def check_accounts(roster: Roster, cohort: Cohort, actor: User | None = None
                   ) -> dict[str, User]:
    """Mark rows whose email has an account; refuse accounts that cannot be enrolled. `actor`
    None is an operator at the command line, who, like an administrator, reaches everyone.
    For a trainer, an account outside their reach is `held`: shown as an unknown address, and
    refused by import_roster."""
    accounts = _existing_accounts([r.email for r in roster.rows if r.email])
    enrolled = set(db.session.scalars(sa.select(Enrolment.user_id).where(
        Enrolment.cohort_id == cohort.id))) if accounts else set()
    operator = actor is None or actor.is_admin
    limited = bool(accounts) and actor is not None and not operator
    taught = reach.taught_by(actor.id) if limited and actor is not None else set()
    cohorts = reach.cohorts_of(u.id for u in accounts.values()) if limited else {}
    for row in roster.rows:
        user = accounts.get(row.email)
        if user is None:
            continue
        if operator or user.id in enrolled:  # the trainer sees the cohort's people anyway
            _check_as_operator(row, user, enrolled)
            continue
        theirs = cohorts.get(user.id, set())
        if user.role == "trainee" and user.active and rules.may_enrol_existing(
                False, taught, theirs):
            row.status = "existing"
            if rules.may_see_account(False, taught, theirs) and user.full_name != row.full_name:
                row.account_name = user.full_name
        elif rules.may_see_account(False, taught, theirs):
            row.status, row.held = "existing", True  # someone they teach, in another cohort too
            row.errors.append(RowError(row.row, "email", "inactive", "this account is disabled")
                              if user.role == "trainee" and not user.active
                              else _needs_admin(row))
        else:
            row.held = True  # looks like a new address until the import refuses it
    return accounts


def held_rows(roster: Roster) -> list[RosterRow]:
    return [r for r in roster.rows if r.held]


def one_time_password() -> str:
    raw = "".join(secrets.choice(LEGIBLE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def import_roster(roster: Roster, cohort: Cohort, actor: User | None = None,
                  action: str = "cohort.import", invite: bool = False) -> ImportResult:
    """Create the new accounts and enrol every row, or raise and write nothing. A refusal
    because of accounts outside the actor's reach carries their ids in `held_user_ids`, for
    the caller to audit once the transaction is rolled back.

    New accounts cannot sign in yet when this returns: with `invite`, each is mailed a link to
    choose a password (a job, people/invitations.py); otherwise each gets a one-time password
    (returned for the credentials sheet) that a job hashes at full strength after the commit
    (people/password_batch.py; `batch_id` names its progress)."""
    accounts = check_accounts(roster, cohort, actor)
    held = held_rows(roster)
    for row in held:
        if not row.errors:
            row.errors.append(_needs_admin(row))
    if not roster.ok:
        raise ServiceError("roster_invalid", f"{len(roster.errors)} error(s) in the file; "
                           "nothing was imported", errors=roster.errors,
                           held_user_ids=[accounts[r.email].id for r in held])
    actor_id = actor.id if actor else None
    new_rows = [r for r in roster.rows if r.status == "new"]
    passwords = [] if invite else [one_time_password() for _ in new_rows]
    users = [User(email=r.email, full_name=r.full_name, unit=r.unit, position=r.position,
                  role="trainee", password_hash=INVITED, must_change_password=not invite)
             for r in new_rows]
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
    credentials = [Credential(r.full_name, r.email, r.unit, r.position, p)
                   for r, p in zip(new_rows, passwords, strict=False)]
    # The credentials sheet is handed out in class: in list order, as the register is.
    credentials.sort(key=lambda c: (sort_key(c.full_name), c.email))
    batch_id = None
    # Welcome mail: not for the new accounts invited now (their invitation names the cohort).
    welcome.welcome_later([u.id for u in joining if not (invite and u in users)], cohort)
    if invite:
        invitations.send_later(users, actor_id, cohort)
    else:
        batch_id = password_batch.start(users, passwords, cohort.id, actor_id).id
    result = ImportResult(credentials, len(users), roster.count("existing"),
                          roster.count("enrolled"), batch_id=batch_id,
                          invited=len(users) if invite else 0)
    audit.record(action, actor_id, f"cohort:{cohort.id}", file=roster.filename[:200],
                 rows=len(roster.rows), created=result.created,
                 enrolled_existing=result.enrolled_existing,
                 already_enrolled=result.already_enrolled, user_ids=[u.id for u in joining],
                 delivery="invite" if invite else "sheet", batch_id=batch_id)
    return result


CREDENTIAL_COLUMNS = ("full_name", "email", "unit", "position", "password")


def credential_rows(credentials: list[Credential]) -> list[list[str | None]]:
    return [[c.full_name, c.email, c.unit, c.position, c.password] for c in credentials]
