"""An essay's rubric grid edited in the authoring pages (issue 21): criteria and levels as rows
that work without JavaScript, validated by the essay type with the error beside the field,
saved in the quiz file's shape, and the published grid used by the grader."""

from __future__ import annotations

import re

import sqlalchemy as sa

from course_app.catalog import history
from course_app.extensions import db
from course_app.models import Answer, Question, Quiz

from ..helpers import grade_capstone, post, sign_in, take_quiz

GRID_FORM = {
    "rubric-vi": "Chấm theo lưới.", "rubric-en": "Grade with the grid.", "points": "10",
    "grid-0-key": "plan", "grid-0-title-vi": "Kế hoạch", "grid-0-title-en": "Plan",
    "grid-0-0-key": "good", "grid-0-0-label-vi": "Tốt", "grid-0-0-label-en": "Good",
    "grid-0-0-text-vi": "Mục tiêu rõ ràng", "grid-0-0-points": "6",
    "grid-0-1-key": "weak", "grid-0-1-label-vi": "Yếu", "grid-0-1-points": "1,5",
    "grid-1-key": "lang", "grid-1-title-vi": "Ngôn ngữ",
    "grid-1-0-key": "good", "grid-1-0-label-vi": "Tốt", "grid-1-0-points": "4",
    "grid-1-1-key": "weak", "grid-1-1-label-vi": "Yếu", "grid-1-1-points": "0",
}
EXPECTED = {"guide": {"vi": "Chấm theo lưới.", "en": "Grade with the grid."}, "criteria": [
    {"key": "plan", "title": {"vi": "Kế hoạch", "en": "Plan"}, "levels": [
        {"key": "good", "label": {"vi": "Tốt", "en": "Good"}, "text": {"vi": "Mục tiêu rõ ràng"},
         "points": 6},
        {"key": "weak", "label": {"vi": "Yếu"}, "points": 1.5}]},
    {"key": "lang", "title": {"vi": "Ngôn ngữ"}, "levels": [
        {"key": "good", "label": {"vi": "Tốt"}, "points": 4},
        {"key": "weak", "label": {"vi": "Yếu"}, "points": 0}]}]}


def essay() -> Question:
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "reflection"))
    return db.session.scalar(sa.select(Question).where(Question.quiz_id == quiz.id,
                                                       Question.key == "e1"))


def author(app, make_user, cohort=None):
    client = app.test_client()
    user = make_user("trainer", email="tac-gia@example.vn", cohort=cohort)
    assert sign_in(client, user.email).status_code == 302
    return client


def edit(client, fields):
    url = f"/author/courses/demo/questions/{essay().id}"
    page = client.get(url).get_data(as_text=True)
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    return post(client, url, {"lock_version": lock, "text-vi": "Lập kế hoạch một trang.",
                              "action": "save", **fields})


def test_a_grid_is_built_in_the_form_and_saved_in_the_quiz_files_shape(app, loaded, make_user):
    client = author(app, make_user)
    page = client.get(f"/author/courses/demo/questions/{essay().id}").get_data(as_text=True)
    assert 'name="grid-0-key"' in page and 'name="grid-0-2-points"' in page  # blank rows
    assert 'name="grid-1-key"' not in page
    response = edit(client, GRID_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    draft = history.current_data("question", essay())
    assert essay().type_data.get("criteria") is None  # a draft until published
    assert draft["type_data"]["criteria"][0]["levels"][1]["points"] == 1.5
    page = client.get(f"/author/courses/demo/questions/{essay().id}").get_data(as_text=True)
    assert 'value="Mục tiêu rõ ràng"' in page and 'name="grid-2-key"' in page  # one more row
    assert 'name="grid-0-2-key"' in page and 'name="grid-0-3-key"' not in page
    from course_app.domain.questions import get_type
    assert get_type("essay").to_authoring(draft["type_data"])["rubric"] == EXPECTED
    # Edited again: a level's points changed, a level added, one criterion removed.
    changed = {**{k: v for k, v in GRID_FORM.items() if not k.startswith("grid-1")},
               "grid-0-0-points": "7", "grid-0-2-key": "mid", "grid-0-2-label-vi": "Khá",
               "grid-0-2-points": "3"}
    assert edit(client, changed).status_code == 302
    db.session.expire_all()
    criteria = history.current_data("question", essay())["type_data"]["criteria"]
    assert [c["key"] for c in criteria] == ["plan"]
    assert [(lv["key"], lv["points"]) for lv in criteria[0]["levels"]] == \
        [("good", 7.0), ("weak", 1.5), ("mid", 3.0)]


def test_bad_points_are_refused_beside_the_field_with_the_input_kept(app, loaded, make_user):
    client = author(app, make_user)
    response = edit(client, {**GRID_FORM, "grid-1-1-points": "nhiều", "grid-0-0-points": "60"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="grid-1-1-points-error"' in page and 'id="grid-0-0-points-error"' in page
    assert 'value="nhiều"' in page and 'value="Mục tiêu rõ ràng"' in page
    db.session.expire_all()
    assert "criteria" not in history.current_data("question", essay())["type_data"]


def test_a_level_without_a_key_is_shown_at_its_row(app, loaded, make_user):
    client = author(app, make_user)
    response = edit(client, {**GRID_FORM, "grid-0-1-key": "", "grid-0-0-key": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="grid-0-1-key-error"' in page


def test_the_published_grid_grades_the_essay(app, client, trainee, cohort, make_user):
    writer = author(app, make_user, cohort=cohort)
    assert edit(writer, GRID_FORM).status_code == 302
    assert post(writer, "/author/courses/demo/publish").status_code == 302
    db.session.expire_all()
    assert essay().type_data["criteria"][1]["key"] == "lang"
    assert sign_in(client, trainee.email).status_code == 302
    attempt_id = take_quiz(client, "reflection", {"e1": "Kế hoạch một trang."})
    sheet = writer.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert 'name="level-e1-plan"' in sheet and 'name="points-e1"' not in sheet
    response = grade_capstone(writer, attempt_id, {"e1": {"plan": "weak", "lang": "good"}})
    assert response.status_code == 302, response.get_data(as_text=True)
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt_id))
    assert answer.points == 5.5 and answer.rubric_scores == {"plan": "weak", "lang": "good"}


def test_a_capstone_is_built_in_the_browser_and_keeps_its_shape(app, loaded, make_user):
    """A required quiz takes essays only as a capstone: each essay with a grid. An essay
    without one, or a choice question, is refused with the reason; the capstone publishes."""
    client = author(app, make_user)
    made = post(client, "/author/courses/demo/quizzes/new", {
        "slug": "du-an", "title-vi": "Dự án cuối khoá", "pass_score": "50", "required": "on",
        "grading": "highest", "review": "full"})
    assert made.status_code == 302, made.get_data(as_text=True)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "du-an"))
    url = f"/author/courses/demo/quizzes/{quiz.id}/questions/new"
    essay_form = {"type": "essay", "text-vi": "Lập kế hoạch quảng bá.", "points": "10",
                  "action": "save"}
    bare = post(client, url, {**essay_form, "key": "e0", "rubric-vi": "Rõ ràng."})
    assert bare.status_code == 400
    assert "khi nó là một bài dự án cuối khoá" in bare.get_data(as_text=True)
    graded = post(client, url, {**essay_form, "key": "plan", **GRID_FORM})
    assert graded.status_code == 302, graded.get_data(as_text=True)
    choice = post(client, url, {"type": "true_false", "key": "t1", "text-vi": "Đúng?",
                                "answer": "true", "action": "save"})
    assert choice.status_code == 400
    keys = set(db.session.scalars(sa.select(Question.key).where(Question.quiz_id == quiz.id)))
    assert keys == {"plan"}
    published = post(client, f"/author/courses/demo/quiz/{quiz.id}/publish",
                     follow_redirects=True)
    assert published.status_code == 200
    db.session.expire_all()
    live = db.session.get(Quiz, quiz.id)
    assert not live.archived and live.required
    assert db.session.scalar(sa.select(Question).where(Question.quiz_id == quiz.id)
                             ).type_data["criteria"][0]["key"] == "plan"
