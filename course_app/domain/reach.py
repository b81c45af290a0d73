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


# ------------------------------------------------------------------------------ organisations
# An administrator with an organisation administers that organisation only: its cohorts, its
# staff, the trainees of its cohorts and its certificates. An administrator without one (a site
# administrator) reaches everything, including cohorts and certificates of no organisation (the
# course file's issuer). Trainers keep the cohort rules above, whatever their organisation.

def reaches_organisation(actor_organisation: int | None, target_organisation: int | None) -> bool:
    """May an administrator of `actor_organisation` (None: the whole site) manage something
    that belongs to `target_organisation` (None: no organisation)?"""
    return actor_organisation is None or actor_organisation == target_organisation


def may_administer_account(actor_organisation: int | None, account_organisation: int | None,
                           organisations_of_cohorts: Collection[int | None]) -> bool:
    """May this administrator see and manage an account: staff of their organisation, or a
    trainee of one of its cohorts (`organisations_of_cohorts`: those of the account's cohorts)?"""
    if actor_organisation is None:
        return True
    return account_organisation == actor_organisation or actor_organisation in set(
        organisations_of_cohorts)
