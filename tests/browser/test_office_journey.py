"""The training office's week in a real browser, in Vietnamese and English, on a 360 px phone and
a 1280 px desktop (issue 19): an administrator creates an organisation and a trainer account;
the trainer signs in with the one-time password, creates a cohort with dates for that
organisation, enrols three trainees from a spreadsheet and gives one of them an override; a
trainee passes the course, the trainer sees it on the dashboard, revokes the certificate and
reissues it; the public verification page names the organisation and shows each state. Every
page passes axe-core, shows no text of the other language and fits the window's width;
screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, User
from course_app.models.types import utcnow
from course_app.security.passwords import hash_password

from ..helpers import PASSWORD, post, sign_in
from ..web.test_journey import _take_quiz, correct_answers
from .support import PageCheck, wait_for_path
from .test_trainer_journey import STICKING_OUT
from .translated import untranslated

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
ORGANISATION = {"vi": "Sở Thông tin thử nghiệm", "en": "Test Department of Information"}
TRAINER_EMAIL = "tran.an@example.vn"
ROSTER = ["full_name,email,unit,position",
          "Phạm Quỳnh Hương,huong@example.vn,Sở Ngoại vụ,Chuyên viên",
          "Lê Minh Anh,anh@example.vn,Cổng thông tin điện tử,Biên tập viên",
          "Đỗ Đức Dũng,dung@example.vn,Báo Hải Phòng,Phóng viên"]
NEW_PASSWORD = "mat-khau-moi-rat-dai-2026"


class OfficeCheck(PageCheck):
    def __call__(self, page: Any, name: str) -> None:
        super().__call__(page, name)
        assert untranslated(page, self.lang) == [], f"{name} ({page.url})"
        assert page.evaluate(OVERFLOW) <= 0, (name, page.url, page.evaluate(STICKING_OUT))


def sign_in_page(page: Any, lang: str, email: str, password: str) -> None:
    page.goto("/login")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        wait_for_path(page, "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()


def submit_main_form(page: Any, selector: str = "main form[method=post]") -> None:
    page.locator(f"{selector} button[type=submit]").last.click()


def create_organisation(page: Any, check: OfficeCheck) -> None:
    page.goto("/admin/organisations/new")
    check(page, "organisation-new")
    page.locator("#slug").fill("so-thong-tin")
    page.locator("#name_vi").fill(ORGANISATION["vi"])
    page.locator("#name_en").fill(ORGANISATION["en"])
    page.locator("#signatory_name").fill("Trần Văn Bình")
    page.locator("#signatory_title").fill("Giám đốc")
    page.locator("input[name=courses]").first.check()
    submit_main_form(page)
    wait_for_path(page, "/admin/organisations")
    assert ORGANISATION[check.lang] in page.locator("main").inner_text()
    check(page, "organisations")


def create_trainer(page: Any, check: OfficeCheck) -> str:
    """The admin makes the trainer's account; returns the one-time password shown once."""
    page.goto("/admin/users/new")
    check(page, "staff-new")
    page.locator("#email").fill(TRAINER_EMAIL)
    page.locator("#name").fill("Trần Văn An")
    page.locator("#role").select_option("trainer")
    page.locator("#organisation").select_option(label=ORGANISATION[check.lang])
    submit_main_form(page)
    password = page.locator(".one-time-password").first
    password.wait_for()
    check(page, "staff-created")
    value = password.input_value() if password.evaluate("e => e.tagName") == "INPUT" \
        else password.inner_text()
    return value.strip()


def first_sign_in(page: Any, lang: str, one_time: str) -> None:
    """The trainer signs in with the one-time password and chooses their own."""
    page.context.clear_cookies()
    sign_in_page(page, lang, TRAINER_EMAIL, one_time)
    page.locator("#new_password").wait_for()
    page.locator("#current_password").fill(one_time)
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    submit_main_form(page)
    wait_for_path(page, "/")


def create_cohort(page: Any, check: OfficeCheck) -> None:
    page.goto("/reports/cohorts/new")
    check(page, "cohort-new")
    page.locator("#name").fill("Lớp bồi dưỡng 2027")
    page.locator("#slug").fill("lop-2027")
    page.locator("#course").select_option("demo")
    today = utcnow().date()
    page.locator("#starts").fill((today - timedelta(days=1)).isoformat())
    page.locator("#ends").fill((today + timedelta(days=30)).isoformat())
    submit_main_form(page)
    wait_for_path(page, "/reports/cohorts/lop-2027")
    check(page, "cohort")


def enrol_three(page: Any, check: OfficeCheck, folder: Path) -> None:
    page.goto("/reports/cohorts/lop-2027/enrol")
    roster = folder / "roster.csv"
    roster.write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(str(roster))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    wait_for_path(page, "/reports/cohorts/lop-2027/enrol")
    page.locator("form[action$='/enrol/confirm'] button[type=submit]").click()
    page.wait_for_url("**/enrol/**")
    check(page, "enrolled")


def give_override(page: Any, check: OfficeCheck) -> None:
    page.goto("/reports/cohorts/lop-2027/overrides")
    option = page.locator("#user_id option", has_text="Đỗ Đức Dũng")
    page.locator("#user_id").select_option(option.get_attribute("value"))
    page.locator("#extra_attempts").fill("2")
    submit_main_form(page, "main form:has(#user_id)")
    wait_for_path(page, "/reports/cohorts/lop-2027/overrides")
    assert "Đỗ Đức Dũng" in page.locator("main table").inner_text()
    check(page, "overrides")


def pass_the_course(app: Any, email: str) -> Certificate:
    """A trainee completes the course through the trainee's own pages (HTTP forms)."""
    with writing():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        user.password_hash, user.must_change_password = hash_password(PASSWORD), False
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    for lesson in ("tong-quan", "doi-tuong", "ke-hoach"):
        assert post(client, f"/courses/demo/lessons/{lesson}/complete").status_code == 302
    _take_quiz(client, "demo", "module-1", correct_answers)
    _take_quiz(client, "demo", "final", correct_answers)
    return db.session.scalar(sa.select(Certificate).join(User, User.id == Certificate.user_id)
                             .where(User.email == email))


def verify_shows(page: Any, check: OfficeCheck, code: str, state: str, name: str) -> None:
    page.goto(f"/verify/{code}")
    text = page.locator("main").inner_text()
    assert ORGANISATION[check.lang] in text, text
    assert page.locator(f".verify-{state}").count() == 1, (state, text)
    check(page, name)


def reissue(page: Any, check: OfficeCheck, code: str) -> None:
    page.goto(f"/certificates/{code}/reissue")
    check(page, "reissue-confirm")
    submit_main_form(page)
    page.wait_for_url(lambda url: not url.endswith("/reissue"))


@pytest.mark.parametrize("lang,width", [("vi", 360), ("en", 1280)])
def test_the_office_journey(app, browser, recorder, make_user, loaded, lang, width, tmp_path):
    make_user("admin", email="quantri@example.vn", name="Quản trị viên")
    page = recorder.new_context(browser, width=width).new_page()
    check = OfficeCheck(recorder, f"{lang}-{width}", lang, count=100)
    sign_in_page(page, lang, "quantri@example.vn", PASSWORD)
    wait_for_path(page, "/")
    if width >= 1280:  # an administrator's whole menu and the language switch on one line
        header = page.locator(".site-header").bounding_box()
        assert header and header["height"] < 90, header
    create_organisation(page, check)
    one_time = create_trainer(page, check)
    first_sign_in(page, lang, one_time)
    check(page, "trainer-start")
    create_cohort(page, check)
    enrol_three(page, check, tmp_path)
    give_override(page, check)
    certificate = pass_the_course(app, "huong@example.vn")
    assert certificate is not None and certificate.status == "valid"
    verify_shows(page, check, certificate.code, "valid", "verify-valid")
    # Reissue the valid certificate first (a new code supersedes it), then revoke the new one.
    page.goto("/reports/cohorts/lop-2027")
    check(page, "cohort-passed")
    reissue(page, check, certificate.code)
    db.session.rollback()  # a fresh read: the live server wrote in its own transaction
    new = db.session.scalar(sa.select(Certificate).where(Certificate.status == "valid"))
    assert new is not None and new.code != certificate.code
    verify_shows(page, check, certificate.code, "superseded", "verify-superseded")
    page.goto(f"/certificates/{new.code}/revoke")
    check(page, "revoke-confirm")
    page.locator("#reason").fill("Cấp nhầm lớp" if lang == "vi" else "Issued to the wrong class")
    submit_main_form(page)
    page.wait_for_url(lambda url: not url.endswith("/revoke"))
    verify_shows(page, check, new.code, "revoked", "verify-revoked")
