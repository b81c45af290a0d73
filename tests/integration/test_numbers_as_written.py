"""Numbers as people write them (issue 16), through the trainee's and trainer's pages: a
numeric answer is read in the trainee's language, stored as typed with the number read, shown
back when ambiguous; the review and the item analysis print numbers in the reader's format."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Answer, Attempt

from ..helpers import post, sign_in
from . import test_all_question_types as all_types
from .test_all_question_types import question, start

people = all_types.people  # the eight-types course, a cohort with a trainee and a trainer
N = "\u202f"


def _answer(value: float) -> None:
    with writing():
        so = question("so")
        so.type_data = {"answers": [{"value": value, "tolerance": 0.0, "credit": 100.0}]}
        db.session.commit()


def _english(client) -> None:
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302


def _stored(attempt_id: int) -> dict:
    return db.session.scalar(sa.select(Answer.response).where(
        Answer.attempt_id == attempt_id, Answer.question_key == "so"))


@pytest.mark.parametrize(("language", "typed", "value", "shown"), [
    ("vi", "1.000", 1000.0, f"1{N}000"),
    ("vi", "1 000", 1000.0, None),
    ("vi", "1.000,5", 1000.5, None),
    ("vi", "1,5", 1.5, None),
    ("en", "1,000", 1000.0, f"1{N}000"),
    ("en", "1.000", 1.0, "1"),
    ("en", "1,000.5", 1000.5, None),
])
def test_a_number_is_read_as_the_trainees_language_writes_it(client, people, language, typed,
                                                             value, shown):
    _answer(value)
    sign_in(client, people[0].email)
    if language == "en":
        _english(client)
    attempt_id = start(client)
    assert post(client, f"/attempts/{attempt_id}", {"q-so": typed}).status_code == 302
    assert _stored(attempt_id) == {"text": typed, "value": value, "language": language}
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert f'value="{typed}"' in page
    entered = {"vi": "Bạn đã nhập {}.", "en": "You entered {}."}[language]
    if shown:
        assert entered.format(shown) in page
    else:
        assert "numeric-read" not in page
    assert post(client, f"/attempts/{attempt_id}/submit", {"q-so": typed}).status_code == 302
    graded = db.session.scalar(sa.select(Answer).where(
        Answer.attempt_id == attempt_id, Answer.question_key == "so"))
    assert graded.fraction == 1.0
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert f'<span class="response">{typed}</span>' in review
    if shown:
        assert entered.format(shown) in review


def test_the_review_prints_the_right_answer_in_the_readers_format(client, people):
    _answer(1234.5)
    sign_in(client, people[0].email)
    attempt_id = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {"q-so": "60"})
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "1.234,5" in review and "1234.5" not in review
    _english(client)
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "1,234.5" in review


def test_a_whole_right_answer_is_never_printed_with_a_point_zero(client, people):
    sign_in(client, people[0].email)
    attempt_id = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {"q-so": "59"})
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "60.0" not in review and "</strong> 60</p>" in review


def test_a_word_is_refused_with_the_languages_example(client, people):
    sign_in(client, people[0].email)
    attempt_id = start(client)
    response = post(client, f"/attempts/{attempt_id}", {"q-so": "sáu mươi"})
    assert response.status_code == 400
    assert "1.000" in response.get_data(as_text=True)  # the Vietnamese example of a number


def test_the_item_analysis_counts_one_number_however_written(app, people):
    trainee, trainer = people
    _answer(1000)
    for typed in ("1.000", "1000"):
        client = app.test_client()
        sign_in(client, trainee.email)
        attempt_id = start(client)
        post(client, f"/attempts/{attempt_id}/submit", {"q-so": typed})
        assert db.session.get(Attempt, attempt_id).status == "finished"
    client = app.test_client()
    sign_in(client, trainer.email)
    url = "/reports/cohorts/lop-tam-dang/quizzes/tam-dang?attempts=all"
    page = client.get(url).get_data(as_text=True)
    assert '<th scope="row">1.000</th>' in page and '<th scope="row">1000</th>' not in page
    _english(client)
    page = client.get(url).get_data(as_text=True)
    assert '<th scope="row">1,000</th>' in page
