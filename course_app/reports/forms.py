from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet of trainees (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file to upload.")),
                    FileAllowed(["csv", "xlsx"], _l("Use a .csv or .xlsx file."))],
    )


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    # New accounts get one-time passwords on a sheet the office prints, or an invitation mail.
    delivery = RadioField(_l("New accounts"), default="sheet", choices=[
        SelectChoice("sheet", _l("One-time passwords on a sheet I print")),
        SelectChoice("invite", _l("Invite by mail: each person chooses their own password"))],
        validate_choice=False)  # anything but "invite" (or nothing: older pages) is the sheet


class TraineeForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
