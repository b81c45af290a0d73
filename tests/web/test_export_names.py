"""Spreadsheet exports of a cohort whose name holds characters Excel refuses in a sheet name
(issue 18, item 11): "Lớp A/2025" used to answer 500."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from course_app.database import writing
from course_app.exports import content_disposition, sheet_name, xlsx_bytes
from course_app.extensions import db

from ..helpers import post, sign_in

AWKWARD = "Lớp A/2025 \\ [chiều]: ai? *mới*"


@pytest.mark.parametrize("title", [AWKWARD, "'" * 40, "History", "x" * 40 + "/y", ""])
def test_any_title_gives_a_sheet_excel_accepts(title):
    name = sheet_name(title)
    assert name and len(name) <= 31 and not set(name) & set("/\\?*[]:")
    assert not name.startswith("'") and not name.endswith("'") and name.lower() != "history"
    workbook = load_workbook(io.BytesIO(xlsx_bytes(["a"], [["b"]], title)))
    assert workbook.sheetnames == [name]


def test_download_names_hold_no_path_or_reserved_character():
    header = content_disposition('kết quả/../"lớp":a?.xlsx')
    assert "/" not in header.split("filename*=")[0] and '\\"' not in header
    assert "%2F" not in header and "%22" not in header and "%3A" not in header


@pytest.mark.parametrize("kind", ["scores", "certificates"])
def test_exports_of_a_cohort_with_an_awkward_name(app, make_user, cohort, kind):
    with writing():
        db.session.merge(cohort).name = AWKWARD
        db.session.commit()
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    client = app.test_client()
    assert sign_in(client, trainer.email).status_code == 302
    response = post(client, f"/reports/cohorts/{cohort.slug}/{kind}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Lớp A-2025 - -chiều-- ai- -mới-"[:31]]
