"""Quiz attempts through HTTP: saving, resuming, submitting once, time limits, no leaks."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import Answer, Attempt, Quiz

from ..helpers import post, sign_in


def start(client, quiz="module-1"):
    response = post(client, f"/courses/demo/quizzes/{quiz}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_attempt_page_never_reveals_answers(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    for leak in ("correct", "weight", "credit", "feedback", "Đúng.", "người dân", "explanation",
                 "Xem Bài 1.1"):
        assert leak not in html, leak
    assert 'name="q-q1"' in html and 'name="q-q4"' in html


def test_answers_are_saved_and_resume_on_another_device(app, client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    saved = post(client, f"/attempts/{attempt_id}", {"q-q1": "b", "q-q4": "dân"})
    assert saved.status_code == 302
    other_device = app.test_client()
    sign_in(other_device, trainee.email)
    assert start(other_device) == attempt_id  # resumes, no second attempt
    html = other_device.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(r'value="b"\s+checked', html) and 'value="dân"' in html


def test_unknown_choice_and_unknown_question_are_refused_clearly(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    bad_choice = post(client, f"/attempts/{attempt_id}", {"q-q1": "zzz"})
    assert bad_choice.status_code == 400
    assert "This choice does not exist" in bad_choice.get_data(as_text=True) or \
        "không tồn tại" in bad_choice.get_data(as_text=True)
    stray = post(client, f"/attempts/{attempt_id}", {"q-nope": "a"})
    assert stray.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 0


def test_posted_score_is_ignored(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {"q-q1": "b", "score": "100",
                                                    "percent": "100"})
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.percent < 100


def test_review_shows_feedback_for_full_review(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {"q-q1": "a", "q-q4": "Nguoi Dan"})
    html = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Xem Bài 1.1" in html and "Đúng." in html
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished"
    answers = {a.question_key: a.fraction for a in attempt.answers}
    assert answers["q1"] == 1.0 and answers["q4"] == 1.0 and answers["q3"] == 0.0


def test_score_only_review_hides_answers(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client, "final")
    post(client, f"/attempts/{attempt_id}/submit", {})
    html = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "0%" in html
    assert "correct answer" not in html and "đáp án đúng" not in html.lower()


def test_draw_takes_the_same_questions_after_reload(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client, "final")
    attempt = db.session.get(Attempt, attempt_id)
    assert len(attempt.questions) == 2
    first = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    second = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert re.findall(r'name="(q-[^"]+)"', first) == re.findall(r'name="(q-[^"]+)"', second)


def test_max_attempts_is_enforced(client, trainee):
    sign_in(client, trainee.email)
    for _ in range(3):
        attempt_id = start(client)
        post(client, f"/attempts/{attempt_id}/submit", {})
    refused = post(client, "/courses/demo/quizzes/module-1/attempts")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/module-1")
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 3


def test_late_answers_are_not_saved_and_the_attempt_is_graded(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client, "final")
    attempt = db.session.get(Attempt, attempt_id)
    key = attempt.questions[0]["key"]
    answer = "true" if attempt.questions[0]["type"] == "true_false" else "a"
    post(client, f"/attempts/{attempt_id}", {f"q-{key}": answer})
    attempt = db.session.get(Attempt, attempt_id)
    attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
    db.session.commit()
    other = attempt.questions[1]
    late_answer = "true" if other["type"] == "true_false" else "a"
    late = post(client, f"/attempts/{attempt_id}/submit", {f"q-{key}": answer,
                                                           f"q-{other['key']}": late_answer})
    assert late.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished"
    saved = {a.question_key: a.response for a in attempt.answers}
    assert saved[key] == answer  # saved in time: graded
    assert saved[other["key"]] is None  # sent after the deadline: not taken


def sessions_on_one_attempt(app, trainee, count: int):  # type: ignore[no-untyped-def]
    """`count` signed-in browsers of the trainee, the attempt one of them started, and each
    browser's CSRF token."""
    browsers = []
    for _ in range(count):
        browser = app.test_client()
        sign_in(browser, trainee.email)
        browsers.append(browser)
    attempt_id = start(browsers[0])
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"',
                        b.get(f"/attempts/{attempt_id}").get_data(as_text=True)).group(1)
              for b in browsers]
    return browsers, attempt_id, tokens


def test_parallel_submits_grade_once(app, trainee):
    browsers, attempt_id, tokens = sessions_on_one_attempt(app, trainee, 20)

    def submit(index):
        return browsers[index].post(f"/attempts/{attempt_id}/submit",
                                    data={"q-q1": "a", "csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, range(20)))
    assert all(code == 302 for code in codes), codes
    db.session.rollback()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished"
    assert db.session.scalar(sa.select(sa.func.count(Answer.id)).where(
        Answer.attempt_id == attempt_id)) == 4


def test_parallel_saves_and_submits_grade_once_and_keep_one_row_per_question(app, trainee):
    """Saving and submitting lock the attempt's row as they read it: saves racing the
    submission never add a second answer to a question, nor fail."""
    browsers, attempt_id, tokens = sessions_on_one_attempt(app, trainee, 32)

    def send(index):
        action = "/submit" if index % 8 == 7 else ""
        return browsers[index].post(f"/attempts/{attempt_id}{action}",
                                    data={"q-q1": "ab"[index % 2],
                                          "csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(send, range(32)))
    assert all(code == 302 for code in codes), codes
    db.session.rollback()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished"
    keys = db.session.scalars(sa.select(Answer.question_key).where(
        Answer.attempt_id == attempt_id)).all()
    assert len(keys) == len(set(keys)) == 4


def test_parallel_starts_make_one_attempt(app, trainee):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "reflection"))
    assert quiz.max_attempts == 1
    browsers = []
    for _ in range(20):
        browser = app.test_client()
        sign_in(browser, trainee.email)
        browsers.append(browser)
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"',
                        b.get("/verify").get_data(as_text=True)).group(1) for b in browsers]

    def begin(index):
        return browsers[index].post("/courses/demo/quizzes/reflection/attempts",
                                    data={"csrf_token": tokens[index]})

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(begin, range(20)))
    assert all(r.status_code == 302 for r in responses)
    locations = {r.headers["Location"] for r in responses}
    assert len(locations) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_attempt_pages_are_not_cached(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    assert client.get(f"/attempts/{attempt_id}").headers["Cache-Control"] == "no-store"


def test_snapshot_holds_the_version_shown(client, trainee):
    sign_in(client, trainee.email)
    attempt_id = start(client)
    attempt = db.session.get(Attempt, attempt_id)
    assert all(q["version"] == 1 for q in attempt.questions)
    assert json.dumps(attempt.questions)  # a JSON snapshot, independent of later edits
