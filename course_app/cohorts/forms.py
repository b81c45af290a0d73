"""Cohort forms. The course and organisation selects get their choices from the view; the
service checks the chosen values (validate_choice is off so that an unknown value gets the
service's own message beside the field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import Optional

BAD_DATE = _l("Write the date as YYYY-MM-DD.")


class CohortForm(FlaskForm):
    name = StringField(_l("Name"))
    slug = StringField(_l("Short name in addresses (slug)"))
    course = SelectField(_l("Course"), validate_choice=False)
    organisation = SelectField(_l("Organisation"), validate_choice=False)
    starts = DateField(_l("Starts on"), validators=[Optional()], invalid_value_message=BAD_DATE)
    ends = DateField(_l("Ends on"), validators=[Optional()], invalid_value_message=BAD_DATE)


class TrainerForm(FlaskForm):
    email = EmailField(_l("Email of a trainer or administrator"))


class MoveForm(FlaskForm):
    to = SelectField(_l("Move to the cohort"), validate_choice=False)
