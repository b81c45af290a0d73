"""The tables trainers hand to organisers: the cohort's scores and its certificate register.
Headers are in the reader's language; numbers stay numbers; times are local."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from ..certificates.pdf_file import certificate_pdf, verify_url
from ..certificates.service import status_of
from ..domain.names import sort_key
from ..domain.text import strip_marks
from ..exports import Cell
from ..extensions import db
from ..i18n import tr
from ..models import Certificate, Cohort, Enrolment, User
from .rubric_columns import rubric_columns
from .service import CohortReport

Table = tuple[list[str], list[list[Cell]]]


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else to_user_timezone(moment).replace(tzinfo=None)


def _state_label(state: str) -> str:
    return {"not_started": _("Not started"), "in_progress": _("In progress"),
            "completed": _("Completed"), "certified": _("Certified")}[state]


def _certificate_status(status: str) -> str:
    return {"valid": _("valid"), "revoked": _("revoked"), "superseded": _("superseded"),
            "expired": _("expired")}.get(status, status)


def score_table(report: CohortReport) -> Table:
    header = [_("No."), _("Full name"), _("Email"), _("Unit"), _("Position"),
              _("Lessons read"), _("Lessons in the course")]
    header += [_("%(quiz)s (%%)", quiz=tr(q.title)) for q in report.quizzes]
    header += [_("Required quizzes passed"), _("Average score (%)"), _("Status"),
               _("Certificate code"), _("Certificate status"), _("Last activity")]
    rubric_header, rubric_values = rubric_columns(report)  # per criterion of a rubric grid
    header += rubric_header
    rows: list[list[Cell]] = []
    for number, t in enumerate(report.trainees, start=1):
        certificate = t.certificate
        rows.append([
            number, t.user.full_name, t.user.email, t.user.unit, t.user.position,
            t.status.lessons_read, t.status.lessons_total,
            *[t.quizzes[q.id].grade for q in report.quizzes],
            t.status.quizzes_passed, t.status.average, _state_label(t.state),
            certificate.code if certificate else None,
            _certificate_status(certificate.state) if certificate else None,
            _local(t.last_activity), *rubric_values.get(t.user.id, [])])
    return header, rows


def cohort_certificates(cohort: Cohort) -> list[tuple[Certificate, User]]:
    """Every certificate of the course held by a trainee of the cohort, in list order."""
    rows = db.session.execute(
        sa.select(Certificate, User).join(User, User.id == Certificate.user_id)
        .where(Certificate.course_id == cohort.course_id,
               Certificate.user_id.in_(sa.select(Enrolment.user_id)
                                       .where(Enrolment.cohort_id == cohort.id)))).all()
    pairs = [(row.Certificate, row.User) for row in rows]
    return sorted(pairs, key=lambda p: (sort_key(p[0].holder_name), p[0].issued_at))


def certificate_table(certificates: list[tuple[Certificate, User]]) -> Table:
    header = [_("No."), _("Certificate code"), _("Full name"), _("Unit"), _("Email"),
              _("Course"), _("Issued on"), _("Hours"), _("Score (%)"), _("Status"),
              _("Expires on"), _("Revoked on"), _("Verification address")]
    rows: list[list[Cell]] = []
    for number, (c, user) in enumerate(certificates, start=1):
        rows.append([number, c.code, c.holder_name, c.holder_unit, user.email,
                     tr(c.course_title), _local(c.issued_at), c.hours, c.score,
                     _certificate_status(status_of(c)), _local(c.expires_at), _local(c.revoked_at),
                     verify_url(c.code)])
    return header, rows


def _file_name(number: int, certificate: Certificate) -> str:
    name = "-".join(strip_marks(certificate.holder_name).split())
    safe = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"{number:03d}-{safe or 'chung-nhan'}-{certificate.code[:8]}.pdf"


def certificate_pdfs(certificates: list[tuple[Certificate, User]]
                     ) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF) for every certificate valid today (never a revoked, superseded or
    expired one: the dashboard says so), made one at a time as they stream."""
    current = [c for c, _user in certificates if status_of(c) == "valid"]
    for number, certificate in enumerate(current, start=1):
        yield _file_name(number, certificate), certificate_pdf(certificate)
