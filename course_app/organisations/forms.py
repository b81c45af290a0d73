"""The organisation form. Its fields are exactly what an organisation holds: names, the
signatory, the courses it offers (checkboxes) and optional images; nothing else a request
sends is assigned. The images are checked by content in images.py, not by their names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .service import MAX_NAME, MAX_SIGNATORY, SLUG

ACCEPT = {"accept": "image/png,image/jpeg"}
IMAGE_LABELS = {"logo": _l("Logo"), "signature": _l("Signature"), "seal": _l("Seal")}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganisationForm(FlaskForm):
    slug = StringField(_l("Short name in addresses (slug)"), validators=[
        DataRequired(_l("Enter a slug.")),
        Regexp(SLUG, message=_l("Use lower-case letters, digits and hyphens only.")),
        Length(max=100)])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[
        DataRequired(_l("Enter the name in Vietnamese.")), Length(max=MAX_NAME)])
    name_en = StringField(_l("Name in English"), validators=[
        DataRequired(_l("Enter the name in English.")), Length(max=MAX_NAME)])
    signatory_name = StringField(_l("Signatory's name"),
                                 validators=[Optional(), Length(max=MAX_SIGNATORY)])
    signatory_title = StringField(_l("Signatory's title"),
                                  validators=[Optional(), Length(max=MAX_SIGNATORY)])
    courses = CheckboxList(_l("Courses it offers"), choices=[], validate_choice=True)
    logo = FileField(IMAGE_LABELS["logo"], render_kw=ACCEPT)
    signature = FileField(IMAGE_LABELS["signature"], render_kw=ACCEPT)
    seal = FileField(IMAGE_LABELS["seal"], render_kw=ACCEPT)
    remove_logo = BooleanField(_l("Remove the logo"))
    remove_signature = BooleanField(_l("Remove the signature"))
    remove_seal = BooleanField(_l("Remove the seal"))
