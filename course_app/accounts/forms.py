from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    # WTForms ships no Vietnamese messages: every validator says its own, translated.
    email = EmailField(_l("Email"), validators=[
        DataRequired(message=_l("Please enter your email address.")),
        Length(max=254, message=_l("This is too long."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Please enter your password.")),
        Length(max=256, message=_l("This is too long."))])


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice: the reset link's form, and the change form below."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Please choose a new password.")),
                    Length(min=10, max=256, message=_l("Use 10 to 256 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(message=_l("Please repeat the new password.")),
                    EqualTo("new_password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(message=_l("Please enter your current password."))])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(message=_l("Please enter your email address.")),
        Length(max=254, message=_l("This is too long."))])

