"""All eight question types end to end: authored in a quiz file (tests/fixtures/all_types),
taken through HTTP form posts with CONTRACT.md's field names, graded (the essay by a trainer),
reviewed with the right answers (review: full) and counted in the trainee's quiz grade."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.catalog import content_loader
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, AuditEvent, Question, Quiz
from course_app.people import accounts
from course_app.progress import service as progress

from ..helpers import post, sign_in

PACKAGE = Path(__file__).resolve().parent.parent / "fixtures" / "all_types"
COURSE, QUIZ = "cac-dang-cau-hoi", "tam-dang"
TYPES = {"mot-lua-chon": "single", "nhieu-lua-chon": "multiple", "dung-sai": "true_false",
         "tra-loi-ngan": "short", "so": "numeric", "ghep": "matching", "sap-xep": "ordering",
         "tu-luan": "essay"}
ESSAY = "Hải Phòng là thành phố cảng.\nHoa phượng đỏ là biểu tượng.\nThành phố ở miền Bắc."


@pytest.fixture
def people(app, make_user):
    courses, problems = read_package(PACKAGE)
    assert not [p for p in problems if not p.warning], problems
    with writing():
        content_loader.load_courses(courses)
        cohort = accounts.create_cohort("lop-tam-dang", "Lớp tám dạng", COURSE)
        db.session.commit()
    trainee = make_user("trainee", email="hoc-vien@example.vn", cohort=cohort)
    trainer = make_user("trainer", email="giang-vien@example.vn", name="Trần Văn Bình",
                        cohort=cohort)
    return trainee, trainer


def question(key):
    return db.session.scalar(sa.select(Question).where(Question.key == key))


def right_answers():
    """The form a trainee who knows every answer posts (CONTRACT.md field names)."""
    matching = question("ghep").type_data["correct"]
    return {
        "q-mot-lua-chon": "bac",
        "q-nhieu-lua-chon": ["hp", "dn"],
        "q-dung-sai": "false",
        "q-tra-loi-ngan": "  hai   phong ",  # diacritics ignored, whitespace normalised
        "q-so": "60,0",  # a Vietnamese decimal comma
        **{f"q-ghep-{item}": option for item, option in matching.items()},
        "q-sap-xep-survey": "1", "q-sap-xep-plan": "2", "q-sap-xep-act": "3",
        "q-sap-xep-review": "4",
        "q-tu-luan": ESSAY,
    }


def start(client):
    response = post(client, f"/courses/{COURSE}/quizzes/{QUIZ}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_quiz_file_holds_every_type(people):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == QUIZ))
    assert {q.key: q.type for q in quiz.questions} == TYPES
    assert quiz.review == "full" and not quiz.required


def test_every_type_taken_graded_and_reviewed(app, client, people):
    trainee, trainer = people
    sign_in(client, trainee.email)
    attempt_id = start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    fields = set(re.findall(r'name="(q-[^"]+)"', page))
    keyed = ("q-ghep-", "q-sap-xep-")  # ordering: no field until an item is moved (up/down)
    assert {name for name in right_answers() if not name.startswith(keyed)} <= fields
    assert 'name="move" value="sap-xep:survey:down"' in page
    assert {f"q-ghep-{item}" for item in ("hn", "hp")} <= fields
    for secret in ("Chính xác.", "Đúng vậy.", "Xem bài Hải Phòng", "Đúng thông tin", "correct"):
        assert secret not in page  # nothing reveals the key before submission

    submitted = post(client, f"/attempts/{attempt_id}/submit", right_answers())
    assert submitted.status_code == 302
    attempt = db.session.get(Attempt, attempt_id)
    fractions = {a.question_key: a.fraction for a in attempt.answers}
    assert fractions == {key: (0.0 if kind == "essay" else 1.0) for key, kind in TYPES.items()}
    assert attempt.status == "needs_grading"
    assert attempt.score_max == 9 and attempt.score_raw == 7  # provisional: the essay waits

    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "chờ chấm điểm" in review and "result failed" not in review  # never a red score
    for shown in ("Chính xác.", "Đúng vậy.", "Xem bài Hải Phòng.", "Hải Phòng", "60",
                  "Thành phố cảng", "Lập kế hoạch"):
        assert shown in review, shown
    assert review.count("tag-right") >= 4  # single (1), multiple (2), true/false (1)

    _trainer_grades_the_essay(app, trainer, attempt_id)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert (attempt.status, attempt.percent) == ("finished", 100.0)
    final = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Rõ ràng, đủ ý." in final
    quiz = db.session.get(Quiz, attempt.quiz_id)
    status = progress.quiz_statuses(trainee, [quiz])[quiz.id]
    assert (status.grade, status.passed) == (100.0, True)


def _trainer_grades_the_essay(app, trainer, attempt_id):
    browser = app.test_client()
    sign_in(browser, trainer.email)
    queue = browser.get("/grading/").get_data(as_text=True)
    assert f"/grading/attempts/{attempt_id}" in queue
    sheet = browser.get(f"/grading/attempts/{attempt_id}").get_data(as_text=True)
    assert "Đúng thông tin; rõ ràng; đủ ba câu." in sheet  # the rubric
    assert "Hoa phượng đỏ là biểu tượng." in sheet  # the essay
    saved = post(browser, f"/grading/attempts/{attempt_id}",
                 {"points-tu-luan": "2", "comment-tu-luan": "Rõ ràng, đủ ý."})
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "attempt.grade")) == 1


def test_wrong_and_partial_answers_of_every_type(client, people):
    trainee, _ = people
    sign_in(client, trainee.email)
    attempt_id = start(client)
    options = [o["key"] for o in question("ghep").type_data["options"]]
    correct = question("ghep").type_data["correct"]
    wrong_option = next(o for o in options if o not in correct.values())
    form = {
        "q-mot-lua-chon": "nam",
        "q-nhieu-lua-chon": ["hp", "hn"],  # +50 % -100 %: never below 0
        "q-dung-sai": "true",
        "q-tra-loi-ngan": "hp",  # 50 % credit
        "q-so": "61",
        "q-ghep-hn": correct["hn"], "q-ghep-hp": wrong_option,  # one pair of two
        "q-sap-xep-survey": "1", "q-sap-xep-plan": "2", "q-sap-xep-act": "4",
        "q-sap-xep-review": "3",  # two positions of four
    }
    assert post(client, f"/attempts/{attempt_id}/submit", form).status_code == 302
    attempt = db.session.get(Attempt, attempt_id)
    fractions = {a.question_key: a.fraction for a in attempt.answers}
    assert fractions == {"mot-lua-chon": 0.0, "nhieu-lua-chon": 0.0, "dung-sai": 0.0,
                         "tra-loi-ngan": 0.5, "so": 0.0, "ghep": 0.5, "sap-xep": 0.5,
                         "tu-luan": 0.0}
    assert attempt.status == "finished"  # a blank essay has nothing to grade (Moodle)
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Hà Nội không có cảng biển." in review and "Chưa đúng: thủ đô là Hà Nội." in review


@pytest.mark.parametrize(("field", "value"), [
    ("q-mot-lua-chon", "khong-co"), ("q-nhieu-lua-chon", "zz"), ("q-dung-sai", "maybe"),
    ("q-so", "sáu mươi"), ("q-ghep-hn", "o99"), ("q-ghep-xx", "o1"), ("q-sap-xep-act", "9"),
    ("q-tu-luan", "x" * 50_001), ("q-khong-ton-tai", "a"),
])
def test_bad_answers_are_refused_with_a_message(client, people, field, value):
    trainee, _ = people
    sign_in(client, trainee.email)
    attempt_id = start(client)
    response = post(client, f"/attempts/{attempt_id}", {field: value})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True) or \
        "role=\"alert\"" in response.get_data(as_text=True)
    assert db.session.get(Attempt, attempt_id).answers == []
