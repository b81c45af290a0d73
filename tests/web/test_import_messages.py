"""The browser import's preview shows the GIFT and Aiken parsers' messages, and the imported
questions' problems, in the reader's language, each with its line (or question) number."""

from __future__ import annotations

import html
import io

import pytest

from ..helpers import post, sign_in

URL = "/author/courses/demo/quizzes/2/import"

GIFT = """::g1::Thủ đô của Việt Nam?{=Hà Nội ~Huế ~Đà Nẵng}

::g2::Hỏng{=A ~B

::g3::Số pi?{#3,14}

::g4::Chọn một{~%150%A ~B}

::g5::Một đáp án{=A ~%50%B ~C}

::g6::Từ đồng nghĩa của "to"?{=lớn =lớn}
"""

AIKEN = """Câu một?
A) Một
ANSWER: A

Câu hai?
A) Một
B) Hai
ANSWER: C
"""

SHOWN = {
    "vi": {
        "gift": ["Dòng 3: thiếu dấu '}' đóng (một dòng trống sẽ kết thúc câu hỏi)",
                 "Dòng 5: đáp án 1: '3,14' không phải là số (hãy dùng dấu '.' làm dấu thập phân)",
                 "Dòng 7: trọng số %150% nằm ngoài khoảng -100…100",
                 "Dòng 9: đã bỏ điểm từng phần của 'B': câu hỏi một lựa chọn chỉ có đủ điểm "
                 "hoặc không có điểm",
                 "Câu 3: Đáp án lớn bị lặp lại hai lần."],
        "aiken": ["Dòng 1: câu hỏi cần ít nhất 2 phương án (hiện có 1)",
                  "Dòng 5: ANSWER C không khớp với phương án nào (A, B)"],
    },
    "en": {
        "gift": ["Line 3: missing closing '}' (a blank line ends a question)",
                 "Line 5: answer 1: '3,14' is not a number (use '.' as the decimal mark)",
                 "Line 7: weight %150% is outside -100…100",
                 "Line 9: partial credit dropped from 'B': single-choice questions score all or "
                 "nothing",
                 "Question 3: The answer lớn is given twice."],
        "aiken": ["Line 1: a question needs at least 2 choices (found 1)",
                  "Line 5: ANSWER C matches none of the choices (A, B)"],
    },
}


def preview_text(app, make_user, locale: str, fmt: str, source: str) -> str:
    client = app.test_client()
    assert sign_in(client, make_user("trainer").email).status_code == 302
    if locale != "vi":  # Vietnamese is the default
        assert post(client, "/language", {"locale": locale, "next": "/"}).status_code == 302
    response = post(client, URL, {"format": fmt, "action": "preview",
                                  "file": (io.BytesIO(source.encode()), f"q.{fmt}")})
    assert response.status_code == 400  # broken: nothing can be imported
    page = html.unescape(response.get_data(as_text=True))
    assert f'<html lang="{locale}">' in page
    return " ".join(page.split())


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize(("fmt", "source"), [("gift", GIFT), ("aiken", AIKEN)])
def test_import_preview_messages_are_in_the_readers_language(app, loaded, make_user, locale,
                                                             fmt, source):
    page = preview_text(app, make_user, locale, fmt, source)
    for shown in SHOWN[locale][fmt]:
        assert shown in page
    if locale == "vi":  # no English message left on the Vietnamese page
        for english in SHOWN["en"][fmt]:
            assert english.split(": ", 1)[1] not in page
