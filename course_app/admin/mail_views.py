"""The mail log for administrators (/admin/mail): every mail the application handed to the mail
job, newest first, filtered by status, kind and recipient, 50 per page; an organisation's
administrator sees the mail to the people of their organisation only. Addresses and subjects,
never a body or a link (docs/security.md: who may see the mail log)."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ..extensions import db
from ..models import MailLog, User
from ..models.mail_log import MAIL_KINDS, MAIL_STATUSES
from ..security.access import access
from .forms import _GetForm, choices
from .service import in_reach
from .views import bp

PAGE_SIZE = 50

KIND_LABELS = {
    "password_reset": _l("Password reset"), "invitation": _l("Invitation"),
    "welcome": _l("Welcome to a cohort"), "reminder": _l("Deadline reminder"),
    "essay_graded": _l("Essay graded"), "certificate_issued": _l("Certificate issued"),
    "certificate_revoked": _l("Certificate revoked"), "digest": _l("Trainer's digest"),
}
STATUS_LABELS = {"queued": _l("Queued"), "delivered": _l("Delivered"), "failed": _l("Failed")}


class MailFilterForm(_GetForm):
    status = SelectField(_l("Status"), choices=choices(
        [("", _l("All")), *((s, STATUS_LABELS[s]) for s in MAIL_STATUSES)]),
        validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=choices(
        [("", _l("All kinds")), *((k, KIND_LABELS[k]) for k in MAIL_KINDS)]),
        validators=[Optional()])
    recipient = SearchField(_l("Recipient (address contains)"),
                            validators=[Optional(), Length(max=254)])


@dataclass(frozen=True)
class MailPage:
    rows: list[MailLog]
    total: int
    page: int
    pages: int


def search(status: str, kind: str, recipient: str, page: int,
           actor: User | None = None) -> MailPage:
    """Two queries: the count and the page. An organisation's administrator sees only the mail
    to people in their reach (its staff and the trainees of its cohorts: service.in_reach)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if actor is not None and actor.organisation_id is not None:
        conditions.append(MailLog.user_id.in_(sa.select(User.id).where(in_reach(actor))))
    if status:
        conditions.append(MailLog.status == status)
    if kind:
        conditions.append(MailLog.kind == kind)
    if recipient:
        escaped = recipient.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(sa.func.lower(MailLog.recipient).like(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(sa.select(sa.func.count(MailLog.id)).where(*conditions)) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = list(db.session.scalars(
        sa.select(MailLog).where(*conditions)
        .order_by(MailLog.created_at.desc(), MailLog.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return MailPage(rows, total, page, pages)


@bp.route("/mail")
@access("admin")
def mail_log() -> tuple[str, int]:
    form = MailFilterForm(formdata=request.args)
    valid = form.validate()
    page = request.args.get("page", 1, type=int) or 1
    found = search(form.status.data or "", form.kind.data or "",
                   (form.recipient.data or "").strip(), page, current_user) \
        if valid else MailPage([], 0, 1, 1)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/mail.html", form=form, found=found, query=query,
                           kinds=KIND_LABELS, statuses=STATUS_LABELS), 200 if valid else 400
