"""The office's certificate forms: one reason field each (nothing else a request sends is read).
The CSRF token of the session is checked by CSRFProtect on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .service import MAX_REASON

_REASON_LENGTH = Length(max=MAX_REASON, message=_l("Keep the reason under %(max)d characters."))


class RequiredReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason: it is kept in the audit log.")), _REASON_LENGTH])


class RevokeForm(RequiredReasonForm):
    pass


class IssueForm(RequiredReasonForm):
    pass


class ReissueForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), _REASON_LENGTH])
