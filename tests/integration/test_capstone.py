"""A required capstone (issue 21): an assignment of essays graded by rubric grids counts towards
completion once graded passing; the certificate waits for that grade and says the capstone was
assessed (PDF line and /verify JSON)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course_app.certificates.pdf.document import details
from course_app.certificates.pdf_file import certificate_document
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Answer, Attempt, Certificate, Lesson, LessonProgress, Quiz
from course_app.models.types import utcnow

from ..helpers import grade_capstone, post, sign_in, take_quiz

GRID = [{"key": "plan", "title": {"vi": "Kế hoạch", "en": "Plan"},
         "levels": [{"key": "good", "label": {"vi": "Tốt", "en": "Good"}, "points": 6.0},
                    {"key": "weak", "label": {"vi": "Yếu", "en": "Weak"}, "points": 1.0}]},
        {"key": "lang", "title": {"vi": "Ngôn ngữ", "en": "Language"},
         "levels": [{"key": "good", "label": {"vi": "Tốt", "en": "Good"}, "points": 4.0},
                    {"key": "weak", "label": {"vi": "Yếu", "en": "Weak"}, "points": 0.0}]}]


def quiz(slug):
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def certificates(user):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)))


@pytest.fixture
def capstone(loaded):
    """The demo course's reflection made a required capstone: its essay graded by a grid."""
    with writing():
        found = quiz("reflection")
        found.required, found.max_attempts, found.pass_score = True, 2, 60.0
        essay = found.questions[0]
        essay.points, essay.type_data = 10.0, {**essay.type_data, "criteria": GRID}
        db.session.commit()
    return found


@pytest.fixture
def ready(trainee, capstone):
    """Every lesson read, the module quiz and the final exam passed: only the capstone left."""
    with writing():
        for lesson in db.session.scalars(sa.select(Lesson)):
            db.session.add(LessonProgress(user_id=trainee.id, lesson_id=lesson.id))
        end = utcnow()
        for number, slug in enumerate(("module-1", "final"), start=1):
            db.session.add(Attempt(user_id=trainee.id, quiz_id=quiz(slug).id, number=number,
                                   seed=1, questions=[], status="finished", percent=100.0,
                                   started_at=end - timedelta(minutes=5), submitted_at=end))
        db.session.commit()
    return trainee


@pytest.fixture
def teacher(app, make_user, cohort):
    user = make_user("trainer", email="giang-vien@example.vn", cohort=cohort)
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def submit_capstone(client):
    return take_quiz(client, "reflection", {"e1": "Kế hoạch quảng bá một trang cho sở."})


def test_the_certificate_waits_for_the_capstone_then_says_it_was_assessed(client, ready,
                                                                          teacher):
    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"
    assert not certificates(ready)  # every quiz passed, the capstone not graded yet
    sheet = teacher.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert 'name="level-e1-plan"' in sheet and 'name="points-e1"' not in sheet
    response = grade_capstone(teacher, attempt_id, {"e1": {"plan": "good", "lang": "weak"}},
                              comment="Kế hoạch rõ ràng.")
    assert response.status_code == 302, response.get_data(as_text=True)
    [certificate] = certificates(ready)
    assert certificate.capstone_assessed is True
    graded = teacher.get(f"/grading/attempts/{attempt_id}")  # the grid as picked, who graded
    assert graded.status_code == 200
    assert re.search(r'value="good" checked', graded.get_data(as_text=True))
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt_id))
    assert answer.rubric_scores == {"plan": "good", "lang": "weak"} and answer.points == 6.0
    vi, en = details(certificate_document(certificate))
    assert "Bài tập cuối khóa: đã được chấm đạt" in vi and "Capstone" in en
    verified = client.get(f"/verify/{certificate.code}.json").get_json()
    assert verified["capstone_assessed"] is True and verified["status"] == "valid"


def test_a_capstone_graded_below_the_pass_mark_issues_nothing(client, ready, teacher):
    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    grade_capstone(teacher, attempt_id, {"e1": {"plan": "weak", "lang": "good"}})  # 5 of 10
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).percent == 50.0 and not certificates(ready)


def test_a_rubric_missing_a_criterion_is_refused_with_the_levels_kept(client, ready, teacher):
    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    response = grade_capstone(teacher, attempt_id, {"e1": {"plan": "good"}}, comment="Tốt")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="error-e1"' in page
    assert 'value="good" checked' in page and "Tốt</textarea>" in page
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"


def test_the_trainee_sees_the_filled_grid(client, ready, teacher):
    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    grade_capstone(teacher, attempt_id, {"e1": {"plan": "good", "lang": "good"}})
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert page.count('class="level chosen"') == 2 and "Ngôn ngữ" in page


def test_a_required_quiz_mixing_essays_and_choices_is_no_capstone():
    from course_app.domain import quiz_rules
    assert quiz_rules.is_capstone([("essay", {"criteria": GRID})] * 2)
    assert not quiz_rules.is_capstone([("essay", {"criteria": GRID}), ("single", {})])
    assert not quiz_rules.is_capstone([("essay", {"rubric": {"vi": "x"}})])
    assert not quiz_rules.is_capstone([])
    assert not quiz_rules.allows(True, True) and quiz_rules.allows(True, True, capstone=True)


def test_the_review_page_posts_nothing(client, ready):
    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    assert post(client, f"/attempts/{attempt_id}/review").status_code == 405


def test_the_scores_export_has_a_column_per_criterion(client, ready, teacher):
    import io

    from openpyxl import load_workbook

    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    grade_capstone(teacher, attempt_id, {"e1": {"plan": "good", "lang": "weak"}},
                   notes={"e1": {"lang": "Nhiều lỗi chính tả."}})
    response = post(teacher, "/reports/cohorts/lop-1/scores.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    header = next(row for row in rows if any("· e1 ·" in str(cell) for cell in row))
    columns = [i for i, name in enumerate(header) if name and "· e1 ·" in str(name)]
    assert len(columns) == 4, header  # points and comment for each of the two criteria
    mine = next(row for row in rows if ready.email in row)
    assert [mine[i] for i in columns] == [6, None, 0, "Nhiều lỗi chính tả."]


def test_the_grader_comments_on_each_criterion_and_the_trainee_reads_it(client, ready, teacher):
    from course_app.models import AuditEvent

    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    response = grade_capstone(teacher, attempt_id, {"e1": {"plan": "good", "lang": "weak"}},
                              notes={"e1": {"lang": "Câu văn còn dài & rối."}})
    assert response.status_code == 302, response.get_data(as_text=True)
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt_id))
    assert answer.rubric_scores == {"plan": "good",
                                    "lang": {"level": "weak", "comment": "Câu văn còn dài & rối."}}
    assert answer.points == 6.0
    sheet = teacher.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert 'name="comment-e1-lang"' in sheet and "Câu văn còn dài &amp; rối.</textarea>" in sheet
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Câu văn còn dài &amp; rối." in page and page.count('class="level chosen"') == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "attempt.grade"))
    assert event.details["answers"][0]["after"]["rubric"]["lang"]["comment"] == \
        "Câu văn còn dài & rối."


def test_a_criterion_comment_too_long_is_refused_with_the_input_kept(client, ready, teacher):
    from course_app.domain.rubrics import MAX_CRITERION_COMMENT

    assert sign_in(client, ready.email).status_code == 302
    attempt_id = submit_capstone(client)
    long = "x" * (MAX_CRITERION_COMMENT + 1)
    response = grade_capstone(teacher, attempt_id, {"e1": {"plan": "good", "lang": "good"}},
                              notes={"e1": {"plan": long}})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="error-e1"' in page
    assert f"{long}</textarea>" in page and 'value="good" checked' in page
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status == "needs_grading"
