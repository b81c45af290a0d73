"""The trainer's cohort pages and start page in a real browser, in Vietnamese and English, at
360 and 1280 px: the header on one line at 1280 px and folded into a menu that opens without
JavaScript at 360 px; a cohort created through the form (its slug proposed by slug.js as the
name is typed), its start-page card, the trainers page. Every page passes axe-core and shows
no text of the other language."""

from __future__ import annotations

from typing import Any

import pytest

from ..helpers import PASSWORD
from .support import PageCheck, wait_for_path
from .translated import untranslated

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
NAV_TOPS = """() => [...document.querySelectorAll('.site-nav a, .site-nav button')]
  .map(el => Math.round(el.getBoundingClientRect().top))"""


class Check(PageCheck):
    def __call__(self, page: Any, name: str) -> None:
        super().__call__(page, name)
        assert untranslated(page, self.lang) == [], f"{name} ({page.url})"
        assert page.evaluate(OVERFLOW) <= 0, (name, page.url)


def sign_in(page: Any, lang: str, email: str) -> None:
    page.goto("/login")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        wait_for_path(page, "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    wait_for_path(page, "/")


def check_header(page: Any, width: int) -> None:
    nav = page.locator(".site-nav a").first
    if width >= 1280:
        assert nav.is_visible() and page.locator(".site-menu > summary").is_hidden()
        tops = page.evaluate(NAV_TOPS)
        assert max(tops) - min(tops) <= 2, tops  # every link on one line
        header = page.locator(".site-header").bounding_box()
        assert header and header["height"] < 90, header
    else:
        assert nav.is_hidden()
        page.locator(".site-menu > summary").click()
        assert nav.is_visible()
        page.locator(".site-menu > summary").click()
        assert nav.is_hidden()


@pytest.mark.parametrize("lang,width", [("vi", 360), ("en", 1280), ("vi", 1280), ("en", 360)])
def test_a_trainer_creates_a_cohort_and_finds_it_on_the_start_page(
        browser, recorder, make_user, cohort, lang, width):
    make_user("trainer", email="gv@example.vn", name="Giảng viên An", cohort=cohort)
    make_user("trainer", email="binh@example.vn", name="Giảng viên Bình")
    page = recorder.new_context(browser, width=width).new_page()
    check = Check(recorder, f"{lang}-{width}", lang, count=80)
    sign_in(page, lang, "gv@example.vn")
    check_header(page, width)
    check(page, "start")
    page.locator("a[href='/reports/cohorts/new']").first.click()
    wait_for_path(page, "/reports/cohorts/new")
    page.locator("#name").press_sequentially("Lớp Đà Nẵng")
    assert page.locator("#slug").input_value() == "lop-da-nang"
    page.locator("#starts").fill("2026-09-10")
    page.locator("#ends").fill("2026-09-01")
    recorder.expected_errors.append("/reports/cohorts/new")  # the 400 of the wrong dates
    page.locator("main form button[type=submit]").click()
    assert page.locator("#ends-error").is_visible()
    check(page, "cohort-form-error")
    page.locator("#ends").fill("2026-09-30")
    page.locator("main form button[type=submit]").click()
    wait_for_path(page, "/reports/cohorts/lop-da-nang")
    page.goto("/")
    assert page.locator("a[href='/reports/cohorts/lop-da-nang']").first.is_visible()
    page.goto("/reports/cohorts/lop-da-nang/trainers")
    page.locator("#email").fill("binh@example.vn")
    page.locator("main form:has(#email) button[type=submit]").click()
    wait_for_path(page, "/reports/cohorts/lop-da-nang/trainers")
    assert "Giảng viên Bình" in page.locator(".trainer-list").inner_text()
    check(page, "trainers")


def test_the_phone_menu_opens_without_javascript(browser, recorder, make_user):
    make_user("trainer", email="gv@example.vn")
    page = recorder.new_context(browser, width=360, javascript=False).new_page()
    sign_in(page, "vi", "gv@example.vn")
    check_header(page, 360)
    page.locator(".site-menu > summary").click()
    page.locator(".site-nav a[href='/reports/']").click()
    wait_for_path(page, "/reports/")
