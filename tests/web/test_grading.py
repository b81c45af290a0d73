"""Manual grading and regrading (/grading): policies, roles, ownership, the grading flow, the
regrade with the current key, and a fixed number of queries for the queue."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from course_app.catalog import content_loader
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Answer, Attempt, AuditEvent, Certificate, Lesson, Quiz
from course_app.people import accounts
from course_app.progress import service as progress
from course_app.quiz import starting
from course_app.security.access import policy_of

from ..conftest import CONTENT
from ..helpers import post, sign_in, submit

ESSAY = "Mục tiêu: quảng bá hình ảnh.\nĐối tượng: nhà đầu tư."


@pytest.fixture
def trainer(make_user, cohort):
    return make_user("trainer", email="giang-vien@example.vn", name="Trần Văn Bình",
                     cohort=cohort)


def quiz(slug):
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def submitted(user, slug, form):
    """An attempt started and submitted through the services (as the quiz views do); answers
    to questions the attempt did not draw are left out."""
    with writing():
        attempt = starting.start_attempt(user, quiz(slug))
        drawn = {f"q-{q['key']}" for q in attempt.questions}
        submit(attempt, {k: v if isinstance(v, list) else [v]
                                          for k, v in form.items() if k in drawn})
        db.session.commit()
    return attempt.id


def browser(app, user):
    """A signed-in client reading English, so that assertions on messages stay stable."""
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302
    return client


def events(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def test_grading_routes_are_for_trainers(app):
    for endpoint in ("grading.queue", "grading.attempt", "grading.regrade_attempt",
                     "grading.regrade_quiz"):
        assert policy_of(app, endpoint) == "trainer", endpoint


def test_anonymous_and_trainees_are_kept_out(app, client, trainee):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    for url in ("/grading/", f"/grading/attempts/{attempt_id}", "/grading/quizzes/1/regrade"):
        assert client.get(url).status_code == 302  # to the sign-in page
    assert post(client, f"/grading/attempts/{attempt_id}/regrade", {"key": "current"}) \
        .status_code == 401
    learner = browser(app, trainee)
    for url in ("/grading/", f"/grading/attempts/{attempt_id}", "/grading/quizzes/1/regrade"):
        assert learner.get(url).status_code == 403
    assert post(learner, f"/grading/attempts/{attempt_id}", {"points-e1": "1"}).status_code == 403
    assert db.session.get(Answer, 1).graded_at is None


def test_a_trainer_sees_only_the_cohorts_they_teach(app, trainee, trainer, make_user):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    other = make_user("trainer", email="khac@example.vn")
    outsider = browser(app, other)
    assert "Nothing is waiting for grading." in outsider.get("/grading/").get_data(as_text=True)
    assert outsider.get(f"/grading/attempts/{attempt_id}").status_code == 404
    assert post(outsider, f"/grading/attempts/{attempt_id}", {"points-e1": "1"}).status_code \
        == 404
    assert post(outsider, f"/grading/attempts/{attempt_id}/regrade", {"key": "snapshot"}) \
        .status_code == 404
    quiz_id = quiz("reflection").id
    assert outsider.get(f"/grading/quizzes/{quiz_id}/regrade").status_code == 404
    assert post(outsider, f"/grading/quizzes/{quiz_id}/regrade", {"key": "current"}) \
        .status_code == 404
    teacher = browser(app, trainer)
    page = teacher.get("/grading/").get_data(as_text=True)
    assert f"/grading/attempts/{attempt_id}" in page and "Lớp 1" in page
    admin = browser(app, make_user("admin", email="quan-tri@example.vn"))
    assert f"/grading/attempts/{attempt_id}" in admin.get("/grading/").get_data(as_text=True)
    assert admin.get(f"/grading/attempts/{attempt_id}").status_code == 200


def test_an_open_attempt_and_unknown_ids_are_not_found(app, trainee, trainer):
    with writing():
        open_attempt = starting.start_attempt(trainee, quiz("reflection"))
        db.session.commit()
    teacher = browser(app, trainer)
    assert teacher.get(f"/grading/attempts/{open_attempt.id}").status_code == 404
    assert teacher.get("/grading/attempts/999").status_code == 404
    assert teacher.get("/grading/quizzes/999/regrade").status_code == 404


def test_queue_filters_by_cohort_and_quiz(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    cohort_id = accounts.get_cohort("lop-1").id
    link = f"/grading/attempts/{attempt_id}"
    assert link in teacher.get(f"/grading/?cohort={cohort_id}").get_data(as_text=True)
    assert link in teacher.get(f"/grading/?quiz={quiz('reflection').id}").get_data(as_text=True)
    assert link not in teacher.get(f"/grading/?quiz={quiz('module-1').id}").get_data(as_text=True)
    assert link not in teacher.get("/grading/?cohort=999").get_data(as_text=True)


def test_manual_grading_flow(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"
    teacher = browser(app, trainer)
    sheet = teacher.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert "Clear goals." in sheet and "Đối tượng: nhà đầu tư." in sheet
    assert 'name="points-e1"' in sheet and 'name="comment-e1"' in sheet
    saved = post(teacher, f"/grading/attempts/{attempt_id}",
                 {"points-e1": "0,5", "comment-e1": "Cần nêu rõ đối tượng."})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/grading/")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    answer = attempt.answers[0]
    assert (attempt.status, attempt.percent) == ("finished", 50.0)
    assert (answer.fraction, answer.points, answer.grader_comment) == \
        (0.5, 0.5, "Cần nêu rõ đối tượng.")
    assert answer.graded_by_id == trainer.id and answer.graded_at is not None
    assert not answer.needs_manual
    event = events("attempt.grade")[0]
    assert event.actor_id == trainer.id and event.target == f"attempt:{attempt_id}"
    assert event.details["before"]["status"] == "needs_grading"
    assert event.details["after"] == {"status": "finished", "percent": 50.0,
                                      "score_raw": 0.5, "score_max": 1.0}
    assert event.details["answers"][0]["after"]["points"] == 0.5
    review = browser(app, trainee).get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Cần nêu rõ đối tượng." in review and "50%" in review


def test_a_grade_can_be_changed_and_is_audited_again(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "0.5"})
    post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"})
    post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"})  # no change
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).percent == 100.0
    graded = events("attempt.grade")
    assert len(graded) == 2
    assert graded[1].details["before"]["percent"] == 50.0
    assert graded[1].details["after"]["percent"] == 100.0


def test_an_automatic_regrade_keeps_the_trainers_grade(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": "1"})  # no comment needed
    post(teacher, f"/grading/attempts/{attempt_id}/regrade", {"key": "current"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert (attempt.status, attempt.percent) == ("finished", 100.0)


@pytest.mark.parametrize(("form", "message"), [
    ({"points-e1": "3"}, "The points must be from 0 to 1."),
    ({"points-e1": "-1"}, "The points must be from 0 to 1."),
    ({"points-e1": "mười"}, "Enter the points as a number"),
    ({"points-e1": "nan"}, "Enter the points as a number"),
    ({"comment-e1": "Tốt"}, "Give the points for this answer as well as the comment."),
    ({"points-e1": "1", "comment-e1": "x" * 5001}, "The comment is too long"),
])
def test_bad_grades_are_shown_next_to_the_field(app, trainee, trainer, form, message):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    response = post(teacher, f"/grading/attempts/{attempt_id}", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="error-e1"' in html and 'aria-invalid="true"' in html
    assert message in html
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"
    assert events("attempt.grade") == []


def test_posting_without_csrf_token_is_refused(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    response = teacher.post(f"/grading/attempts/{attempt_id}", data={"points-e1": "1"})
    assert response.status_code == 400
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"


def test_leaving_the_points_empty_grades_nothing(app, trainee, trainer):
    attempt_id = submitted(trainee, "reflection", {"q-e1": ESSAY})
    teacher = browser(app, trainer)
    response = post(teacher, f"/grading/attempts/{attempt_id}", {"points-e1": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/grading/attempts/{attempt_id}")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"


def corrected_key(tmp_path):
    """The course package with module-1's q1 key corrected: b is right, not a."""
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    path = root / "quizzes" / "demo" / "module-1.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("correct: true, feedback", "correct: false, feedback", 1)
    text = text.replace('en: "Collect taxes"}, correct: false}', 'en: "Collect taxes"}, '
                        "correct: true}", 1)
    path.write_text(text, encoding="utf-8")
    courses, problems = read_package(root)
    assert not [p for p in problems if not p.warning], problems
    with writing():
        content_loader.load_courses(courses)
        db.session.commit()


MODULE_1 = {"q-q1": "b", "q-q2": ["a", "b"], "q-q3": "false", "q-q4": "người dân"}  # 2 of 4


def test_regrade_one_attempt_with_the_snapshot_or_the_current_key(app, trainee, trainer,
                                                                   tmp_path):
    attempt_id = submitted(trainee, "module-1", MODULE_1)
    corrected_key(tmp_path)
    teacher = browser(app, trainer)
    page = teacher.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert "version 1 was shown, version 2 is current" in page
    post(teacher, f"/grading/attempts/{attempt_id}/regrade", {"key": "snapshot"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.percent == 50.0
    assert {q["key"]: q["version"] for q in attempt.questions}["q1"] == 1
    response = post(teacher, f"/grading/attempts/{attempt_id}/regrade", {"key": "current"})
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.percent == 75.0
    assert {q["key"]: q["version"] for q in attempt.questions}["q1"] == 2
    assert {a.question_key: a.fraction for a in attempt.answers}["q1"] == 1.0
    snapshot_event, current_event = events("attempt.regrade")
    assert snapshot_event.details["current_key"] is False
    assert current_event.details["versions"] == [{"question": "q1", "from": 1, "to": 2}]
    assert (current_event.details["before"]["percent"], current_event.details["after"]["percent"]) \
        == (50.0, 75.0)
    assert post(teacher, f"/grading/attempts/{attempt_id}/regrade", {"key": "other"}) \
        .status_code == 400


def test_regrade_a_whole_quiz_issues_the_certificate_it_now_earns(app, trainee, trainer,
                                                                   make_user, cohort, tmp_path):
    with writing():
        for lesson in db.session.scalars(sa.select(Lesson)):
            progress.mark_read(trainee, lesson)
        db.session.commit()
    submitted(trainee, "final", {"q-f1": "true", "q-f2": "a", "q-f3": "true"})
    attempt_id = submitted(trainee, "module-1", MODULE_1)
    late = make_user("trainee", email="dang-lam@example.vn", cohort=cohort)
    with writing():
        still_open = starting.start_attempt(late, quiz("module-1"))
        db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    corrected_key(tmp_path)
    teacher = browser(app, trainer)
    quiz_id = quiz("module-1").id
    overview = teacher.get(f"/grading/quizzes/{quiz_id}/regrade").get_data(as_text=True)
    assert trainee.full_name in overview and f"/grading/attempts/{attempt_id}" in overview
    response = post(teacher, f"/grading/quizzes/{quiz_id}/regrade", {"key": "current"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).percent == 75.0
    assert db.session.get(Attempt, still_open.id).questions[0]["version"] == 1  # untouched
    event = events("quiz.regrade")[0]
    assert (event.details["attempts"], event.details["changed"]) == (1, 1)
    assert (event.details["average_before"], event.details["average_after"]) == (50.0, 75.0)
    assert db.session.scalar(sa.select(Certificate.user_id)) == trainee.id


def test_queue_runs_a_fixed_number_of_queries(app, trainer, make_user, cohort, count_queries):
    def add_essays(count):
        for _ in range(count):
            submitted(make_user("trainee", cohort=cohort), "reflection", {"q-e1": ESSAY})

    teacher = browser(app, trainer)
    add_essays(2)
    teacher.get("/grading/")
    with count_queries() as few:
        assert teacher.get("/grading/").status_code == 200
    add_essays(4)
    with count_queries() as many:
        page = teacher.get("/grading/").get_data(as_text=True)
    assert page.count("/grading/attempts/") == 6
    assert len(many) == len(few)


def test_regrade_page_runs_a_fixed_number_of_queries(app, trainer, make_user, cohort,
                                                     count_queries):
    teacher = browser(app, trainer)
    url = f"/grading/quizzes/{quiz('module-1').id}/regrade"
    submitted(make_user("trainee", cohort=cohort), "module-1", MODULE_1)
    teacher.get(url)
    with count_queries() as few:
        teacher.get(url)
    for _ in range(3):
        submitted(make_user("trainee", cohort=cohort), "module-1", MODULE_1)
    with count_queries() as many:
        assert teacher.get(url).get_data(as_text=True).count("/grading/attempts/") == 4
    assert len(many) == len(few)
