"""The review page follows the quiz's review options (issue 21): the key stays hidden after a
failed attempt while attempts remain, and shows once passed, after the last attempt or when the
cohort has ended; each question links to the lesson it assesses. Trainers set the options in
the quiz settings grid."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, Cohort, Question, Quiz

from ..helpers import post, sign_in, take_quiz

HIDE_KEY = {"score": ["immediately"], "correctness": ["immediately"],
            "answers": ["after_pass", "after_last_attempt"],
            "explanations": ["after_pass", "after_last_attempt"]}
WRONG = {"q1": "b", "q2": ["c"], "q3": "false", "q4": "xyz", "q5": "1"}


def module_quiz():
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1"))


@pytest.fixture
def hidden_key(trainee):
    with writing():
        quiz = module_quiz()
        quiz.review_options, quiz.max_attempts = HIDE_KEY, 2
        question = db.session.scalar(sa.select(Question).where(
            Question.quiz_id == quiz.id, Question.key == "q1"))
        question.lesson = "tong-quan"
        db.session.commit()
    return trainee


def answers_for(client, right):
    """Every question of the module quiz answered from `right` (a default for the others)."""
    quiz = module_quiz()
    return {q.key: right.get(q.key, "zzz") for q in quiz.questions}


def take(client, values):
    attempt_id = take_quiz(client, "module-1", answers_for(client, values))
    return client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)


def shows_key(html):
    return "tag-right" in html or 'class="explanation"' in html


def test_the_key_is_hidden_while_attempts_remain_then_shown_after_the_last(client, hidden_key):
    sign_in(client, hidden_key.email)
    first = take(client, WRONG)
    assert not shows_key(first)
    assert 'class="points"' in first  # correctness is shown: marks per question
    assert "Xem Bài 1.1" not in first  # the explanation
    assert re.search(r'href="/courses/demo/lessons/tong-quan"', first)  # read again
    last = take(client, WRONG)
    assert shows_key(last) and "Xem Bài 1.1" in last
    # The first attempt's review now shows the key too: no attempt is left to use it on.
    first_id = db.session.scalar(sa.select(Attempt.id).where(Attempt.number == 1))
    assert shows_key(client.get(f"/attempts/{first_id}/review").get_data(as_text=True))


def test_the_key_is_shown_once_passed(client, hidden_key):
    sign_in(client, hidden_key.email)
    with writing():  # the max is raised so that only passing can open the key
        module_quiz().max_attempts = 5
        db.session.commit()
    assert not shows_key(take(client, WRONG))
    with writing():  # an earlier attempt passed (the highest grade counts)
        first = db.session.scalar(sa.select(Attempt))
        first.percent = 100.0
        db.session.commit()
    assert shows_key(take(client, WRONG))


def test_the_key_is_shown_once_the_cohort_has_ended(client, hidden_key, cohort):
    sign_in(client, hidden_key.email)
    html = take(client, WRONG)
    assert not shows_key(html)
    with writing():
        found = db.session.get(Cohort, cohort.id)
        found.starts_on = date.today() - timedelta(days=30)
        found.ends_on = date.today() - timedelta(days=2)
        db.session.commit()
    attempt_id = db.session.scalar(sa.select(Attempt.id))
    assert shows_key(client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True))


def test_a_hidden_score_shows_neither_score_nor_pass(client, trainee):
    with writing():
        module_quiz().review_options = {**HIDE_KEY, "score": ["after_close"],
                                        "correctness": ["never"]}
        db.session.commit()
    sign_in(client, trainee.email)
    html = take(client, WRONG)
    assert 'class="score"' not in html and "notice error" not in html
    assert not shows_key(html)


def test_the_review_runs_a_fixed_number_of_queries(client, hidden_key, count_queries):
    sign_in(client, hidden_key.email)
    take(client, WRONG)
    attempt_id = db.session.scalar(sa.select(Attempt.id))
    with count_queries() as first:
        client.get(f"/attempts/{attempt_id}/review")
    take(client, WRONG)
    with count_queries() as second:
        client.get(f"/attempts/{attempt_id}/review")
    assert len(first) == len(second) <= 14, first


def test_trainers_set_the_review_grid_in_the_quiz_settings(app, loaded, make_user):
    author = app.test_client()
    assert sign_in(author, make_user("trainer").email).status_code == 302
    quiz_id = module_quiz().id
    url = f"/author/courses/demo/quizzes/{quiz_id}/settings"
    html = author.get(url).get_data(as_text=True)
    assert 'name="review-answers-after_pass"' in html and 'name="review-grid"' in html
    fields = {name: value for name, value in re.findall(
        r'<(?:input|select)[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
        if not name.startswith("review-") or name == "review-grid"}
    fields.pop("csrf_token", None)
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<', html):
        fields[match.group(1)] = match.group(2)
    fields.update({"title-vi": "Kiểm tra mô-đun 1", "grading": "highest", "required": "on",
                   "review-score-immediately": "on", "review-correctness-immediately": "on",
                   "review-answers-after_pass": "on", "review-answers-after_last_attempt": "on",
                   "review-explanations-after_close": "on", "action": "save"})
    saved = post(author, url, fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert post(author, "/author/courses/demo/publish").status_code == 302
    db.session.expire_all()
    quiz = module_quiz()
    assert quiz.review_options == {"score": ["immediately"], "correctness": ["immediately"],
                                   "answers": ["after_pass", "after_last_attempt"],
                                   "explanations": ["after_close"]}
    again = author.get(url).get_data(as_text=True)
    assert re.search(r'name="review-answers-after_pass" value="on" checked', again)
    assert not re.search(r'name="review-answers-immediately" value="on" checked', again)


def test_the_quiz_intro_says_when_the_key_is_shown(client, hidden_key):
    sign_in(client, hidden_key.email)
    html = client.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert "khi bạn đạt bài kiểm tra" in html and "sau lần làm bài cuối cùng" in html


def test_an_essay_with_a_rubric_grid_keeps_its_grid_through_the_question_form(app, loaded,
                                                                              make_user):
    grid = [{"key": "goals", "title": {"vi": "Mục tiêu", "en": "Goals"}, "levels": [
        {"key": "good", "label": {"vi": "Tốt"}, "points": 1.0},
        {"key": "weak", "label": {"vi": "Yếu"}, "points": 0.0}]}]
    with writing():
        essay = db.session.scalar(sa.select(Question).where(Question.key == "e1"))
        essay.type_data = {**essay.type_data, "criteria": grid}
        db.session.commit()
        essay_id = essay.id
    author = app.test_client()
    assert sign_in(author, make_user("trainer").email).status_code == 302
    url = f"/author/courses/demo/questions/{essay_id}"
    html = author.get(url).get_data(as_text=True)
    assert re.search(r'name="grid-0-key" value="goals"', html)  # the grid as rows to edit
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<', html):
        fields[match.group(1)] = match.group(2)
    fields = {name: html_lib.unescape(value) for name, value in fields.items()}
    fields["action"] = "save"
    saved = post(author, url, fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert post(author, "/author/courses/demo/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, essay_id).type_data["criteria"] == grid


def test_a_hidden_score_is_not_on_the_quiz_intro_either(client, trainee):
    with writing():
        module_quiz().review_options = {**HIDE_KEY, "score": ["after_close"]}
        db.session.commit()
    sign_in(client, trainee.email)
    take(client, WRONG)
    attempt = db.session.scalar(sa.select(Attempt))
    html = client.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert attempt.percent == 0.0 and not re.search(r"<td>\s*0\s?%\s*</td>", html)
    assert html.count("hiển thị sau") == 2  # the grade and the attempt's score


def test_a_hidden_score_is_not_in_the_course_outline_either(client, trainee):
    with writing():
        module_quiz().review_options = {**HIDE_KEY, "score": ["after_close"]}
        db.session.commit()
    sign_in(client, trainee.email)
    take(client, WRONG)
    for url in ("/courses/demo", "/courses/demo/lessons/tong-quan"):
        page = client.get(url).get_data(as_text=True)
        outline = page.split('id="outline"')[1]
        line = outline.split("module-1")[1].split("</li>")[0]
        assert "%" not in line and ("hiển thị sau" in line or "shown later" in line), line
    with writing():
        module_quiz().review_options = None  # the score shown immediately again
        db.session.commit()
    outline = client.get("/courses/demo").get_data(as_text=True).split('id="outline"')[1]
    assert "%" in outline.split("module-1")[1].split("</li>")[0]


def test_quizzes_passed_leaves_out_a_passed_quiz_whose_score_is_shown_later(client, trainee):
    with writing():
        module_quiz().review_options = {**HIDE_KEY, "score": ["after_close"]}
        db.session.commit()
    sign_in(client, trainee.email)
    take(client, {"q1": "a", "q2": ["a", "b"], "q3": "true", "q4": "người dân"})
    attempt = db.session.scalar(sa.select(Attempt))
    assert attempt.percent == 100.0  # passed, but the options hide it until the cohort closes
    for url in ("/", "/courses/demo"):
        text = re.sub(r"\s+", " ", html_lib.unescape(client.get(url).get_data(as_text=True)))
        assert "Bài kiểm tra đã đạt: 0/2 (1 kết quả hiển thị sau)" in text, url
    with writing():
        module_quiz().review_options = None
        db.session.commit()
    text = re.sub(r"\s+", " ", html_lib.unescape(client.get("/").get_data(as_text=True)))
    assert "Bài kiểm tra đã đạt: 1/2" in text and "hiển thị sau)" not in text
