"""Essays' word limits (issue 16): `min_words`/`max_words` of a quiz file hold back a submission
outside them with a message naming the limits and the count; a save keeps the text and shows
its count; the shipped course's reflection sets them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course_app.database import writing
from course_app.domain.questions.essay import count_words, word_limit_problem
from course_app.extensions import db
from course_app.models import Answer, Attempt

from ..helpers import post, sign_in
from . import test_all_question_types as all_types
from .test_all_question_types import question, start

people = all_types.people
ROOT = Path(__file__).resolve().parents[2]


def test_counting_words():
    assert count_words("  Hải Phòng là  thành phố cảng.\n- Hoa phượng ") == 8
    assert count_words("") == 0
    limits = {"min_words": 3, "max_words": 5}
    assert word_limit_problem(limits, "một hai") == "too_few_words"
    assert word_limit_problem(limits, "một hai ba") is None
    assert word_limit_problem(limits, "một hai ba bốn năm sáu") == "too_many_words"
    assert word_limit_problem(limits, "   ") is None  # blank: nothing to count


def limit_the_essay(low: int | None, high: int | None) -> None:
    with writing():
        essay = question("tu-luan")
        essay.type_data = {**essay.type_data, "min_words": low, "max_words": high}
        db.session.commit()


def english(client) -> None:
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302


@pytest.mark.parametrize(("words", "message"), [
    (3, "This answer has 3 words; it must have 10 to 20 words."),
    (25, "This answer has 25 words; it must have 10 to 20 words."),
])
def test_a_submission_outside_the_limits_is_held_back(client, people, words, message):
    limit_the_essay(10, 20)
    sign_in(client, people[0].email)
    english(client)
    attempt_id = start(client)
    essay = " ".join(["chữ"] * words)
    response = post(client, f"/attempts/{attempt_id}/submit", {"q-tu-luan": essay})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f">{essay}</textarea>" in page  # what was typed stays on the page
    assert db.session.get(Attempt, attempt_id).status == "in_progress"


def test_a_save_keeps_a_short_essay_and_shows_its_count(client, people):
    limit_the_essay(10, None)
    sign_in(client, people[0].email)
    english(client)
    attempt_id = start(client)
    assert post(client, f"/attempts/{attempt_id}", {"q-tu-luan": "ba chữ thôi"}).status_code \
        == 302
    saved = db.session.query(Answer).filter_by(attempt_id=attempt_id,
                                               question_key="tu-luan").one()
    assert saved.response == "ba chữ thôi"
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Length: 10 to ∞ words. You have written 3 words." in page
    essay = " ".join(["chữ"] * 12)
    assert post(client, f"/attempts/{attempt_id}/submit", {"q-tu-luan": essay}).status_code \
        == 302
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"


def test_the_shipped_reflection_sets_word_limits():
    quiz = yaml.safe_load((ROOT / "quizzes" / "truyen-thong-hinh-anh" / "reflection.yaml")
                          .read_text(encoding="utf-8"))
    essay = next(q for q in quiz["questions"] if q["type"] == "essay")
    assert (essay["min_words"], essay["max_words"]) == (200, 1200)
