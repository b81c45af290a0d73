"""Administration forms. Filter forms are GET forms (no CSRF token: they change nothing); the
role form has its one field, so nothing else a request sends can be assigned. Enable, disable
and password reset are buttons: their CSRF token is checked for every POST by CSRFProtect."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, ValidationError

ROLE_LABELS = {"trainee": _l("Trainee"), "trainer": _l("Trainer"), "admin": _l("Administrator")}


def choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class _GetForm(FlaskForm):
    class Meta:
        csrf = False


class UserFilterForm(_GetForm):
    q = SearchField(_l("Name, email or unit"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices([("", _l("All roles")),
                                                    *ROLE_LABELS.items()]),
                       validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices([("", _l("All")), ("active", _l("Active")),
                                                         ("disabled", _l("Disabled"))]),
                         validators=[Optional()])


class AuditFilterForm(_GetForm):
    actor = SearchField(_l("Person (name or email)"), validators=[Optional(), Length(max=254)])
    action = SelectField(_l("Kind"), choices=choices([("", _l("All kinds"))]),
                         validators=[Optional(), Length(max=64)], validate_choice=False)
    since = DateField(_l("From (date)"), validators=[Optional()])
    until = DateField(_l("To (date)"), validators=[Optional()])

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()),
                       validators=[AnyOf(list(ROLE_LABELS))])
