"""The form of a new staff account: exactly `email`, `name`, `role`, `organisation` (a select
whose option text is the organisation's name) and how the person gets in (`delivery`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from .forms import ROLE_LABELS, choices

DELIVERIES = {"password": _l("Show a one-time password now, for me to hand over"),
              "invite": _l("Send an invitation by mail: the person chooses their password")}


class StaffForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(message=_l("Please enter an email address.")),
        Length(max=254, message=_l("This is too long."))])
    name = StringField(_l("Full name"), validators=[
        DataRequired(message=_l("Please enter the full name.")),
        Length(max=200, message=_l("This is too long."))])
    role = SelectField(_l("Role"), choices=choices(
        (key, ROLE_LABELS[key]) for key in ("trainer", "admin")),
        validators=[AnyOf(["trainer", "admin"], message=_l("Choose one of the listed roles."))])
    # The choices are the organisations the signed-in admin may use (set by the view); an
    # unknown value is reported by the service, beside this field.
    organisation = SelectField(_l("Organisation"), validate_choice=False)
    delivery = RadioField(_l("How the person signs in the first time"),
                          choices=choices(DELIVERIES.items()), default="password",
                          validators=[AnyOf(list(DELIVERIES),
                                            message=_l("Choose one of the options."))])
