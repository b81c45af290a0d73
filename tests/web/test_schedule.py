"""The office's deadline pages (issue 19): a cohort's overrides and quiz windows, for its
trainers and admins only; refused forms re-shown with the error beside the field and nothing
changed; every change audited. And the trainee sees the deadlines, with the time left, on the
dashboard, the course page and the quiz intro, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.extensions import db
from course_app.models import Attempt, AuditEvent, Override, Quiz, QuizWindow
from course_app.models.types import utcnow
from course_app.people import accounts

from ..helpers import post, sign_in
from .test_deadlines import give, set_dates, set_window, today

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def quiz_id(slug: str) -> int:
    return db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == slug))


def local(moment: datetime) -> str:
    return moment.astimezone(HCM).strftime("%Y-%m-%dT%H:%M")


def overrides() -> list[Override]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Override).order_by(Override.id)))


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def office(client, make_user, cohort, trainee):
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    assert sign_in(client, trainer.email).status_code == 302
    return client


URL = "/reports/cohorts/lop-1/overrides"


def test_only_the_cohorts_trainers_reach_the_pages(client, make_user, cohort, trainee, loaded):
    with writing():
        other = accounts.create_cohort("lop-2", "Lớp 2", "demo")
        db.session.commit()
    foreign = make_user("trainer", email="khac@example.vn", cohort=other)
    assert sign_in(client, foreign.email).status_code == 302
    for url in (URL, "/reports/cohorts/lop-1/windows"):
        assert client.get(url).status_code == 404
        assert post(client, url, {"user_id": trainee.id, "extra_attempts": 1,
                                  "extra_minutes": 0}).status_code == 404
    assert client.get("/reports/cohorts/lop-2/overrides").status_code == 200
    assert overrides() == []
    admin = make_user("admin", email="admin@example.vn")
    other_client = client.application.test_client()
    sign_in(other_client, admin.email)
    assert other_client.get(URL).status_code == 200
    learner = client.application.test_client()
    sign_in(learner, trainee.email)
    assert learner.get(URL).status_code in (403, 404)


def test_an_override_is_added_edited_and_deleted_and_audited(office, cohort, trainee):
    page = office.get(URL).get_data(as_text=True)
    assert f'<option value="{trainee.id}">' in page and "Mọi bài kiểm tra của khóa học" in page
    added = post(office, URL, {"user_id": trainee.id, "quiz_id": str(quiz_id("module-1")),
                               "closes_at": "", "extra_attempts": "2", "extra_minutes": "0"})
    assert added.status_code == 302, added.get_data(as_text=True)
    [row] = overrides()
    assert (row.quiz_id, row.extra_attempts, row.closes_at) == (quiz_id("module-1"), 2, None)
    listed = office.get(URL).get_data(as_text=True)
    assert trainee.full_name in listed and "Đã lưu ngoại lệ." in listed
    edit = f"{URL}/{row.id}"
    assert office.get(edit).status_code == 200
    assert post(office, edit, {"closes_at": "", "extra_attempts": "1",
                               "extra_minutes": "10"}).status_code == 302
    assert (overrides()[0].extra_attempts, overrides()[0].extra_minutes) == (1, 10)
    assert post(office, f"{edit}/delete").status_code == 302
    assert overrides() == []
    assert [a for a in actions() if a.startswith("override.")] == [
        "override.create", "override.update", "override.delete"]


def _refused(response, field: str, message: str) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', text)
    assert error and message in error.group(1), text[:200]


def test_a_close_that_does_not_extend_is_refused_beside_the_field(office, cohort, trainee):
    set_dates(cohort, today() - timedelta(days=10), today() + timedelta(days=10))
    early = local(utcnow() + timedelta(days=2))
    form = {"user_id": trainee.id, "quiz_id": "", "closes_at": early, "extra_attempts": "0",
            "extra_minutes": "0"}
    response = post(office, URL, form)
    _refused(response, "closes_at", "không muộn hơn hạn đóng")
    assert f'value="{early}"' in response.get_data(as_text=True)  # the input kept
    later = local(utcnow() + timedelta(days=20))
    assert post(office, URL, {**form, "closes_at": later}).status_code == 302
    assert overrides()[0].quiz_id is None
    assert abs(overrides()[0].closes_at - datetime.strptime(later, "%Y-%m-%dT%H:%M")
               .replace(tzinfo=HCM).astimezone(UTC)) < timedelta(seconds=1)


def test_bad_numbers_and_empty_overrides_are_refused(office, cohort, trainee):
    base = {"user_id": trainee.id, "quiz_id": "", "closes_at": ""}
    _refused(post(office, URL, {**base, "extra_attempts": "-1", "extra_minutes": "0"}),
             "extra_attempts", "Từ 0 đến")
    _refused(post(office, URL, {**base, "extra_attempts": "hai", "extra_minutes": "0"}),
             "extra_attempts", "số nguyên")
    _refused(post(office, URL, {**base, "extra_attempts": "0", "extra_minutes": "0"}),
             "closes_at", "Hãy cho hạn đóng muộn hơn")
    _refused(post(office, URL, {**base, "closes_at": local(utcnow() + timedelta(days=1)),
                                "extra_attempts": "0", "extra_minutes": "0"}),
             "closes_at", "không có hạn đóng nào")  # a cohort without dates: nothing closes
    _refused(post(office, URL, {**base, "closes_at": "mai", "extra_attempts": "0",
                                "extra_minutes": "0"}), "closes_at", "2026-12-31 17:00")
    assert overrides() == []


def test_a_stranger_cannot_be_given_an_override(office, cohort, make_user):
    stranger = make_user("trainee", email="la@example.vn")
    _refused(post(office, URL, {"user_id": stranger.id, "quiz_id": "", "extra_attempts": "1",
                                "extra_minutes": "0"}), "user_id", "học viên của lớp này")
    assert overrides() == []


def test_an_override_below_the_attempts_used_is_refused(office, cohort, trainee):
    give(cohort, trainee, "module-1", extra_attempts=2)
    with writing():
        for number in range(1, 5):
            db.session.add(Attempt(user_id=trainee.id, quiz_id=quiz_id("module-1"),
                                   number=number, seed=number, questions=[],
                                   status="finished", percent=10.0))
        db.session.commit()
    row = overrides()[0]
    response = post(office, f"{URL}/{row.id}", {"closes_at": "", "extra_attempts": "0",
                                                "extra_minutes": "5"})
    _refused(response, "extra_attempts", "đã dùng nhiều hơn")
    assert (overrides()[0].extra_attempts, overrides()[0].extra_minutes) == (2, 0)
    assert post(office, f"{URL}/{row.id}", {"closes_at": "", "extra_attempts": "1",
                                            "extra_minutes": "5"}).status_code == 302
    _refused(post(office, URL, {"user_id": trainee.id, "quiz_id": str(quiz_id("module-1")),
                                "extra_attempts": "3", "extra_minutes": "0"}),
             "quiz_id", "đã có ngoại lệ")


def test_quiz_windows_are_set_within_the_cohort_and_cleared(office, cohort):
    set_dates(cohort, today() - timedelta(days=5), today() + timedelta(days=5))
    url = "/reports/cohorts/lop-1/windows"
    assert "Thời gian làm bài kiểm tra" in office.get(url).get_data(as_text=True)
    final = quiz_id("final")
    too_late = local(utcnow() + timedelta(days=30))
    _refused(post(office, url, {"quiz_id": final, "opens_at": "", "closes_at": too_late}),
             "closes_at", "Lớp kết thúc trước")
    opens, closes = utcnow() + timedelta(days=1), utcnow() + timedelta(days=2)
    _refused(post(office, url, {"quiz_id": final, "opens_at": local(closes),
                                "closes_at": local(opens)}), "closes_at", "phải sau")
    assert db.session.scalars(sa.select(QuizWindow)).all() == []
    assert post(office, url, {"quiz_id": final, "opens_at": local(opens),
                              "closes_at": local(closes)}).status_code == 302
    db.session.expire_all()
    window = db.session.get(QuizWindow, (cohort.id, final))
    assert abs(window.closes_at - closes) < timedelta(minutes=1)
    assert post(office, f"{url}/{final}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(QuizWindow, (cohort.id, final)) is None
    assert [a for a in actions() if a.startswith("quiz_window.")] == [
        "quiz_window.set", "quiz_window.clear"]


def test_the_trainee_sees_every_deadline_with_the_time_left(client, cohort, trainee):
    set_dates(cohort, today() - timedelta(days=3), today() + timedelta(days=9))
    set_window(cohort, "final", closes=utcnow() + timedelta(days=2, hours=1))
    set_window(cohort, "reflection", opens=utcnow() + timedelta(days=1, hours=1))
    give(cohort, trainee, "module-1", extra_attempts=1)
    assert sign_in(client, trainee.email).status_code == 302
    dashboard = client.get("/").get_data(as_text=True)
    assert "Lớp của bạn kết thúc ngày" in dashboard
    assert re.search(r"\(còn (9|10) ngày\)", dashboard)  # the last day is whole
    assert "Đóng vào" in dashboard and "(còn 2 ngày)" in dashboard
    assert "Mở vào" in dashboard and "(sau 25 tiếng nữa)" in dashboard
    course = client.get("/courses/demo").get_data(as_text=True)
    assert "Hạn chót" in course and "(còn 2 ngày)" in course and "(sau 25 tiếng nữa)" in course
    intro = client.get("/courses/demo/quizzes/module-1").get_data(as_text=True)
    assert "Đã dùng 0/4 lượt" in intro and "đã gia hạn cho bạn" in intro
    reflection = client.get("/courses/demo/quizzes/reflection").get_data(as_text=True)
    assert 'data-start-refused="not_open_yet"' in reflection
    english = client.get("/courses/demo/quizzes/final", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_deadline_pages_run_the_same_queries_whatever_the_dates(client, cohort, trainee,
                                                                count_queries):
    assert sign_in(client, trainee.email).status_code == 302
    pages = ("/", "/courses/demo", "/courses/demo/quizzes/module-1")
    for url in pages:
        client.get(url)

    def counted() -> list[int]:
        found = []
        for url in pages:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counted()
    set_dates(cohort, today() - timedelta(days=3), today() + timedelta(days=9))
    for slug in ("module-1", "final", "reflection"):
        set_window(cohort, slug, closes=utcnow() + timedelta(days=2))
        give(cohort, trainee, slug, extra_minutes=5)
    give(cohort, trainee, None, extra_attempts=1)
    assert counted() == before


def test_garbage_in_the_forms_is_a_400_never_a_500(office, cohort, trainee):
    for data in ({"user_id": "x", "quiz_id": "", "extra_attempts": "1", "extra_minutes": "0"},
                 {"user_id": trainee.id, "quiz_id": "x", "extra_attempts": "1",
                  "extra_minutes": "0"},
                 {"user_id": trainee.id, "quiz_id": "987654", "extra_attempts": "1",
                  "extra_minutes": "0"},
                 {"user_id": trainee.id, "extra_attempts": "", "extra_minutes": ""}):
        assert post(office, URL, data).status_code == 400, data
    for data in ({"quiz_id": "x", "closes_at": "2026-12-31T17:00"},
                 {"quiz_id": "987654", "closes_at": "2026-12-31T17:00"},
                 {"quiz_id": quiz_id("final"), "opens_at": "", "closes_at": ""}):
        assert post(office, "/reports/cohorts/lop-1/windows", data).status_code == 400, data
    assert post(office, f"{URL}/987654", {"extra_attempts": "1"}).status_code == 404
    assert post(office, "/reports/cohorts/lop-1/windows/987654/delete").status_code == 404
    assert overrides() == [] and db.session.scalars(sa.select(QuizWindow)).all() == []
