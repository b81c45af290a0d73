"""Slugs and keys proposed from a title (domain/slugs.py), shared by cohorts and authoring."""

from __future__ import annotations

from course_app.domain import slugs


def test_vietnamese_is_folded_to_ascii_words_joined_by_hyphens():
    assert slugs.slug_from("Đường lối Đối ngoại của Đà Nẵng") == "duong-loi-doi-ngoai-cua-da-nang"
    assert slugs.slug_from("  Bài 1: Khái niệm — cơ bản!  ") == "bai-1-khai-niem-co-ban"
    assert slugs.slug_from("Thông tin ĐỐI NGOẠI 2025") == "thong-tin-doi-ngoai-2025"
    assert slugs.slug_from("???") == ""
    assert slugs.SLUG.match(slugs.slug_from("Ứng xử trên mạng xã hội"))


def test_a_long_title_is_cut_at_a_word_boundary():
    text = "Ai chịu trách nhiệm về thông tin đối ngoại của thành phố?"
    assert slugs.slug_from(text, most=slugs.KEY_MAX) == "ai-chiu-trach-nhiem-ve-thong-tin-doi"
    assert slugs.slug_from("a" * 150) == "a" * 100  # one long word is cut where it must be
    assert len(slugs.slug_from("từ " * 80)) <= slugs.SLUG_MAX


def test_a_taken_or_reserved_slug_gets_a_number():
    taken = {"gioi-thieu", "gioi-thieu-2"}
    assert slugs.propose("Giới thiệu", taken.__contains__) == "gioi-thieu-3"
    assert slugs.propose("Mới", lambda _s: False) == "moi"
    assert slugs.propose("New", lambda _s: False, reserved={"new"}) == "new-2"
    assert slugs.propose("!!!", lambda _s: True) == ""
    long = slugs.propose("x" * 60, {"x" * 40}.__contains__, most=40)
    assert long == "x" * 38 + "-2" and len(long) == 40
