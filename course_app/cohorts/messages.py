"""The translated text of each error code of cohorts/service.py and cohorts/trainers.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {
    "name_required": _l("Give the cohort a name."),
    "name_too_long": _l("The name is longer than 200 characters."),
    "slug_required": _l("Give a short name for addresses: lowercase letters a–z, digits and "
                        "hyphens."),
    "bad_slug": _l("Use only lowercase letters a–z without accents, digits and hyphens "
                   "(at most 100), e.g. lop-da-nang-2025."),
    "reserved_slug": _l("This short name is reserved. Choose another."),
    "slug_in_use": _l("Another cohort already uses this short name."),
    "unknown_course": _l("Choose one of the courses in the list."),
    "course_locked": _l("The course cannot change once trainees are enrolled. Create a new "
                        "cohort instead."),
    "organisation_required": _l("Choose the organisation that runs this cohort."),
    "unknown_organisation": _l("Choose one of the organisations in the list."),
    "not_offered": _l("The chosen organisation does not offer this course."),
    "bad_dates": _l("The end date is before the start date."),
    "unknown_trainer": _l("No active trainer or administrator account has this email."),
    "other_organisation": _l("This trainer belongs to another organisation."),
    "already_trainer": _l("This person already teaches the cohort."),
    "not_trainer": _l("This person does not teach the cohort."),
    "last_trainer": _l("A cohort keeps at least one trainer. Add another trainer first, or "
                       "ask an administrator."),
    "same_cohort": _l("The trainee is already in this cohort."),
    "other_course": _l("Choose a cohort of the same course."),
    "archived_target": _l("This cohort is archived. Choose an active cohort."),
    "unknown_target": _l("Choose one of the cohorts in the list."),
    "not_enrolled": _l("This person is not a trainee of the cohort."),
}


def error_text(code: str, fallback: str = "") -> str:
    message = ERRORS.get(code)
    return fallback if message is None else str(message)
