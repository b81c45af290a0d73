"""The office's forms for deadlines: a trainee's override and a quiz's window in a cohort.
Dates and times are typed in the app's time zone (Asia/Ho_Chi_Minh by default); the views turn
them into UTC. The trainee and quiz selects are filled from the cohort by the view, so nothing
outside the cohort can be chosen."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

# The browser's datetime-local value, or the same typed by hand without JavaScript support.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
EVERY_QUIZ = ""  # the quiz select's value for an override of every quiz of the course
MAX_EXTRA_ATTEMPTS = 50
MAX_EXTRA_MINUTES = 60 * 24 * 7


class LocalDateTimeField(DateTimeLocalField):
    """A date and time in the app's time zone, with our own message for what cannot be read."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a date and time such as 2026-12-31 17:00.")) from None


def _id(value: Any) -> int:
    """A select's posted id; what is not a number is an id nothing has (the service then says
    in our words that it is not in the cohort or the course)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class CountField(IntegerField):
    """A whole number of 0 or more, with our own message for what is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a whole number (0 for none).")) from None


class OverrideValuesForm(FlaskForm):
    """What an override gives (the edit form: its trainee and quiz stay)."""

    closes_at = LocalDateTimeField(
        _l("Later close (date and time)"), format=DATETIME_FORMATS, validators=[Optional()],
        description=_l("Leave empty to keep the cohort's or quiz's close."))
    extra_attempts = CountField(
        _l("Extra attempts"), default=0, render_kw={"min": 0, "inputmode": "numeric"},
        validators=[InputRequired(_l("Enter a number (0 for none).")),
                    NumberRange(0, MAX_EXTRA_ATTEMPTS,
                                _l("Between %(min)s and %(max)s."))])
    extra_minutes = CountField(
        _l("Extra minutes per attempt"), default=0, render_kw={"min": 0, "inputmode": "numeric"},
        validators=[InputRequired(_l("Enter a number (0 for none).")),
                    NumberRange(0, MAX_EXTRA_MINUTES, _l("Between %(min)s and %(max)s."))])


class OverrideForm(OverrideValuesForm):
    """A new override: which trainee, which quiz (or every quiz)."""

    # Choices are checked by the service (a trainee of the cohort, a quiz of its course), which
    # says so in our words.
    user_id = SelectField(_l("Trainee"), coerce=_id, validate_choice=False,
                          validators=[InputRequired(_l("Choose a trainee."))])
    quiz_id = SelectField(_l("Quiz"), validators=[Optional()], validate_choice=False)


class WindowForm(FlaskForm):
    """A quiz's open and close in this cohort."""

    quiz_id = SelectField(_l("Quiz"), coerce=_id, validate_choice=False,
                          validators=[InputRequired(_l("Choose a quiz."))])
    opens_at = LocalDateTimeField(_l("Opens (date and time)"), format=DATETIME_FORMATS,
                                  validators=[Optional()])
    closes_at = LocalDateTimeField(_l("Closes (date and time)"), format=DATETIME_FORMATS,
                                   validators=[Optional()])
