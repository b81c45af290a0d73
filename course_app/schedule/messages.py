"""Translated messages for the office's deadline forms (error codes of overrides.problems and
windows.problems), shown beside their field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FIELD_ERRORS = {
    "empty": _l("Give a later close, extra attempts or extra minutes."),
    "nothing_closes": _l("Nothing closes for this trainee here: there is no close to extend. "
                         "Leave the date empty."),
    "not_later": _l("This is not later than the cohort's or quiz's close; an override can only "
                    "extend it."),
    "below_used": _l("The trainee has already used more than this: it cannot be less."),
    "not_in_cohort": _l("Choose a trainee of this cohort."),
    "not_in_course": _l("Choose a quiz of this course."),
    "exists": _l("This trainee already has an override for this: edit it in the list below."),
}

WINDOW_ERRORS = {
    "empty": _l("Give an opening or a closing time, or both."),
    "before_cohort": _l("The cohort starts later than this."),
    "after_cohort": _l("The cohort ends before this. For one trainee, give an override "
                       "instead."),
    "before_opening": _l("The close must be after the opening."),
}


def field_error(code: str, window: bool = False) -> str:
    table = WINDOW_ERRORS if window else FIELD_ERRORS
    return str(table.get(code, FIELD_ERRORS.get(code, code)))
