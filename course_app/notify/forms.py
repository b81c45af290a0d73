from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PreferencesForm(FlaskForm):
    reminders = BooleanField(_l("Deadline reminders: a mail a few days before a quiz or my "
                                "cohort closes, while I have not finished"))
    digest = BooleanField(_l("Daily digest for trainers, on days when essays wait for my "
                             "grade: essays waiting, new certificates and trainees behind in "
                             "my cohorts"))
