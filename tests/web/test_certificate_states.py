"""Certificate states everywhere (issue 16): an expired, revoked or superseded certificate is
never counted or exported as valid; the dashboard counts, both spreadsheets, the ZIP, the
trainee's dashboard, the trainer's trainee page and the PDF stamp agree with /verify."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from course_app.certificates import service as certificates
from course_app.certificates.pdf_file import certificate_document
from course_app.database import writing
from course_app.domain.certificates import state
from course_app.extensions import db
from course_app.models import Certificate
from course_app.models.types import utcnow

from . import test_reports
from .test_reports import browser, download

# The reports tests' fixtures: a trainer of lop-1, and Hằng certified among three trainees.
trainer = test_reports.trainer
class_of_three = test_reports.class_of_three

BASE = "/reports/cohorts/lop-1"


def test_the_state_rule():
    now = utcnow()
    assert state("valid", None, now) == "valid"
    assert state("valid", now + timedelta(seconds=1), now) == "valid"
    assert state("valid", now, now) == "expired"
    assert state("revoked", now - timedelta(days=1), now) == "revoked"
    assert state("superseded", None, now) == "superseded"


def _make(kind: str) -> str:
    """Hằng's certificate made expired or revoked; returns its code."""
    with writing():
        made = db.session.scalar(sa.select(Certificate))
        if kind == "expired":
            made.expires_at = utcnow() - timedelta(days=1)
        else:
            certificates.revoke(made, "Gian lận", None)
        db.session.commit()
        return made.code


def _certified_count(page: str) -> int:
    found = re.search(r'class="number">(\d+)</span><span class="label">certified<', page)
    assert found, page
    return int(found.group(1))


@pytest.mark.parametrize("kind", ["expired", "revoked"])
def test_a_certificate_no_longer_valid_counts_nowhere(app, trainer, class_of_three, kind):
    client = browser(app, trainer, english=True)
    assert _certified_count(client.get(BASE).get_data(as_text=True)) == 1
    code = _make(kind)
    assert certificates.verify(code).status == kind
    page = client.get(BASE).get_data(as_text=True)
    assert _certified_count(page) == 0
    assert "PDFs of the valid certificates (.zip)" in page
    scores = download(client, f"{BASE}/scores.csv").data.decode("utf-8-sig")
    hang = next(line for line in scores.splitlines() if "hang@example.vn" in line)
    assert f",{code},{kind}," in hang and ",Certified," not in hang
    register = download(client, f"{BASE}/certificates.csv").data.decode("utf-8-sig")
    assert "Status" in register.splitlines()[0]
    line = next(line for line in register.splitlines() if code in line)
    assert f",{kind}," in line and ",valid," not in line
    sheet = load_workbook(io.BytesIO(download(client, f"{BASE}/certificates.xlsx").data)).active
    assert [c.value for c in sheet[1]].index("Status") == 9 and sheet["J2"].value == kind
    archive = download(client, f"{BASE}/certificates.zip").data
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist() == []
    hang_id = db.session.scalar(sa.select(Certificate.user_id))
    report = client.get(f"{BASE}/trainees/{hang_id}").get_data(as_text=True)
    assert f"· {kind}" in report
    with app.test_request_context():
        note = certificate_document(db.session.scalar(sa.select(Certificate))).status_note
    assert kind.upper() in note


def test_the_trainee_sees_the_expired_state(app, class_of_three):
    hang = class_of_three[0]
    _make("expired")
    page = browser(app, hang, english=True).get("/").get_data(as_text=True)
    assert '<span class="badge">expired</span>' in page


def test_a_superseded_certificate_is_listed_as_superseded(app, trainer, class_of_three):
    client = browser(app, trainer, english=True)
    with writing():
        old = db.session.scalar(sa.select(Certificate))
        new = certificates.reissue(old, "Sửa họ tên", None)
        db.session.commit()
        old_code, new_code = old.code, new.code
    register = download(client, f"{BASE}/certificates.csv").data.decode("utf-8-sig")
    assert ",superseded," in next(line for line in register.splitlines() if old_code in line)
    assert ",valid," in next(line for line in register.splitlines() if new_code in line)
    names = zipfile.ZipFile(io.BytesIO(download(client, f"{BASE}/certificates.zip").data)
                            ).namelist()
    assert len(names) == 1 and new_code[:8] in names[0]
    assert _certified_count(client.get(BASE).get_data(as_text=True)) == 1
