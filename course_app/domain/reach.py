"""How far a trainer reaches (docs/security.md, promise 23), as pure rules on cohort ids.

A trainer reaches the trainees of the cohorts they teach, and only through those cohorts:
- Reading, grading and exporting a trainee's work: the trainee is enrolled in a cohort the
  trainer teaches, and only that cohort's course is shown (checked where each page loads).
- Enrolling an existing account: a trainee account that belongs to no cohort the trainer does
  not teach. An account in another trainer's cohort, a staff account or a disabled account is
  added by an administrator; the trainer is told to ask one, and the refusal is audited.
- Resetting a password (which lets the one who resets sign in as the trainee): only someone
  who teaches EVERY cohort of the trainee, or an administrator.
Administrators, and operators at the command line, reach everyone."""

from __future__ import annotations

from collections.abc import Collection


def may_enrol_existing(is_admin: bool, taught: Collection[int],
                       cohorts_of_trainee: Collection[int]) -> bool:
    """May this actor enrol an existing trainee account that belongs to these cohorts?"""
    return is_admin or set(cohorts_of_trainee) <= set(taught)


def may_reset_password(is_admin: bool, taught: Collection[int],
                       cohorts_of_trainee: Collection[int]) -> bool:
    """May this actor give the trainee a new one-time password (and so sign in as them)?"""
    return is_admin or (bool(cohorts_of_trainee) and set(cohorts_of_trainee) <= set(taught))


def may_see_account(is_admin: bool, taught: Collection[int],
                    cohorts_of_trainee: Collection[int]) -> bool:
    """May a roster preview show that this account exists and whose it is? Only for people the
    actor already teaches: for anyone else the preview looks as for an unknown address."""
    return is_admin or bool(set(cohorts_of_trainee) & set(taught))
