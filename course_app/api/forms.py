"""The key page's forms: a GET form that picks the organisation (site admins), and the POST
form that names a new key. Revoking is a button whose CSRF token CSRFProtect checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class OrganisationPickForm(FlaskForm):
    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), validators=[Optional()], validate_choice=False)


class NewKeyForm(FlaskForm):
    organisation = HiddenField(validators=[Optional(), Length(max=100)])
    name = StringField(_l("Name of the key"), validators=[
        DataRequired(_l("Give the key a name: the system that will use it.")),
        Length(max=100, message=_l("At most 100 characters."))])
