"""Vietnamese list order (domain/names.py): by given name, then the rest, in the Vietnamese
alphabet (đ after d, ă and â after a…), tones secondary in the order ngang, huyền, hỏi, ngã,
sắc, nặng."""

from __future__ import annotations

import unicodedata

import pytest

from course_app.domain.names import sort_key, sort_names, text_key
from course_app.domain.search import vietnamese_name_key


def test_duc_comes_after_dung_and_every_other_d():
    names = ["Trần Văn Đức", "Phạm Tiến Dũng", "Lê Duy", "Nguyễn Văn Đạt", "Hoàng Thị Dung"]
    assert sort_names(names) == ["Hoàng Thị Dung", "Phạm Tiến Dũng", "Lê Duy", "Nguyễn Văn Đạt",
                                 "Trần Văn Đức"]


def test_the_given_name_comes_first_then_the_family_and_middle_names():
    names = ["Nguyễn Thị Hằng", "Trần Văn An", "Lê Thị An", "Bùi Xuân Bình", "Lê An"]
    assert sort_names(names) == ["Lê An", "Lê Thị An", "Trần Văn An", "Bùi Xuân Bình",
                                 "Nguyễn Thị Hằng"]


def test_vowels_with_marks_are_letters_of_their_own():
    # a < ă < â; e < ê; o < ô < ơ; u < ư: base letters before tones ("Ánh" before "Ăn").
    names = ["Võ Thị Ân", "Lý Văn Ăn", "Phan Thị Ánh", "Đỗ Văn Ơn", "Mai Thị Ôn", "Hà Văn On",
             "Lò Văn Ưng", "Chu Văn Ung", "Vi Thị Êm", "Đinh Văn Em"]
    assert sort_names(names) == ["Phan Thị Ánh", "Lý Văn Ăn", "Võ Thị Ân", "Đinh Văn Em",
                                 "Vi Thị Êm", "Hà Văn On", "Mai Thị Ôn", "Đỗ Văn Ơn",
                                 "Chu Văn Ung", "Lò Văn Ưng"]


def test_tones_are_secondary_in_dictionary_order():
    tones = ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]
    assert sort_names(list(reversed(tones))) == tones
    # Letters first: "Hạ" (nặng) still comes before "Hai", and "Hải" before "Han".
    assert sort_names(["Vũ Hai", "Lê Hạ", "Trịnh Han", "Ngô Hải"]) == [
        "Lê Hạ", "Vũ Hai", "Ngô Hải", "Trịnh Han"]


def test_same_given_names_stay_together_and_order_by_the_rest():
    names = ["Vũ Thị Hà", "Phạm Ha", "Đặng Văn Hà", "Vũ Ha", "Dương Thị Hà"]
    assert sort_names(names) == ["Phạm Ha", "Vũ Ha", "Dương Thị Hà", "Đặng Văn Hà", "Vũ Thị Hà"]


def test_case_spacing_and_unicode_form_do_not_change_the_order():
    composed = "Nguyễn Thị Hằng"
    decomposed = unicodedata.normalize("NFD", composed)
    assert sort_key(decomposed)[:2] == sort_key(composed)[:2]
    assert sort_key("  NGUYỄN   thị HẰNG ")[:2] == sort_key(composed)[:2]
    assert sort_key("ĐỨC") > sort_key("Dũng")


@pytest.mark.parametrize("name", ["", "   ", "An", "Lê-Na", "Nguyễn 2", "John O'Brien",
                                  "Zoë Wong"])
def test_any_text_has_a_key(name):
    key = sort_key(name)
    assert sort_names([name, "Lê An"]) in ([name, "Lê An"], ["Lê An", name])
    assert key == sort_key(name)


def test_foreign_letters_sit_at_their_latin_places():
    assert sort_names(["Anna Walker", "Lê Văn Vinh", "Trần Xuân", "Marie Faure", "Lê Em"]) == [
        "Lê Em", "Marie Faure", "Lê Văn Vinh", "Anna Walker", "Trần Xuân"]


def test_the_search_module_keeps_its_name_for_the_same_key():
    assert vietnamese_name_key("Trần Văn Đức") == sort_key("Trần Văn Đức")


def test_labels_sort_word_by_word_in_the_vietnamese_alphabet():
    labels = ["Đổi vai trò", "Đăng xuất", "Cấp lại chứng nhận", "Đăng nhập", "Chấm bài tự luận",
              "Dữ liệu"]
    assert sorted(labels, key=text_key) == ["Cấp lại chứng nhận", "Chấm bài tự luận",
                                            "Dữ liệu", "Đăng nhập", "Đăng xuất", "Đổi vai trò"]
