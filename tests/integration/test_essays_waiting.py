"""Essays (issue 16): an essay awaiting grading shows "waiting for grading", never a red 0 %
nor "not taken", on the trainee's dashboard, the course outline, the quiz intro, the review and
the trainer's dashboard."""

from __future__ import annotations

import re

from course_app.extensions import db
from course_app.models import Attempt

from ..helpers import post, sign_in
from . import test_all_question_types as all_types
from .test_all_question_types import COURSE, QUIZ, right_answers, start

people = all_types.people
WAITING = "waiting for grading"


def english(client) -> None:
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302


def submit_with_an_essay(client, trainee) -> int:
    sign_in(client, trainee.email)
    english(client)
    attempt_id = start(client)
    answers = right_answers()
    answers["q-mot-lua-chon"] = "nam"  # one wrong answer: the rest alone would not pass
    post(client, f"/attempts/{attempt_id}/submit", answers)
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"
    return attempt_id


def test_the_trainee_sees_waiting_everywhere(client, people):
    attempt_id = submit_with_an_essay(client, people[0])
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert 'class="card result waiting"' in review and "result failed" not in review
    assert f'<p class="score">{WAITING}</p>' in review
    assert re.search(r'class="question waiting"', review)
    intro = client.get(f"/courses/{COURSE}/quizzes/{QUIZ}").get_data(as_text=True)
    assert f"<dd>{WAITING}</dd>" in intro and "not taken" not in intro
    assert f"<td>{WAITING}</td>" in intro
    outline = client.get(f"/courses/{COURSE}").get_data(as_text=True)
    quiz_line = re.search(rf'<a href="[^"]*/{QUIZ}">.*?</li>', outline, re.S).group()
    assert WAITING in quiz_line and "not taken" not in quiz_line
    dashboard = client.get("/").get_data(as_text=True)
    assert "Waiting for grading:" in dashboard


def test_the_trainer_sees_it_to_grade_not_failed(app, client, people):
    trainee, trainer = people
    submit_with_an_essay(client, trainee)
    other = app.test_client()
    sign_in(other, trainer.email)
    english(other)
    page = other.get("/reports/cohorts/lop-tam-dang").get_data(as_text=True)
    cell = re.search(r'<td class="waiting">to grade<span class="meta">×1</span></td>', page)
    assert cell, page
