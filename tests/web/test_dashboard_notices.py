"""The trainee's dashboard lists their recent notifications (issue 20) from the mail log: the
last five of the notification kinds, newest first, each a translated sentence with its link and
date, in one more query whatever their number; account mails (reset, invitation) never show."""

from __future__ import annotations

from datetime import timedelta

from course_app.database import writing
from course_app.extensions import db
from course_app.models import MailLog
from course_app.models.types import utcnow

from ..helpers import sign_in
from .test_page_queries import counted

BASE = "https://khoahoc.example.vn"


def _log(user_id: int, kind: str, link: str | None, minutes_ago: int) -> None:
    with writing():
        db.session.add(MailLog(recipient="hang@example.vn", kind=kind, subject="…",
                               user_id=user_id, link=link, status="delivered", attempts=1,
                               created_at=utcnow() - timedelta(minutes=minutes_ago)))
        db.session.commit()


def test_recent_notifications_on_the_dashboard_in_a_fixed_number_of_queries(
        app, client, trainee, make_user, count_queries):
    assert sign_in(client, trainee.email).status_code == 302
    client.get("/")
    empty = counted(client, count_queries, "/")
    assert "Thông báo gần đây" not in client.get("/").get_data(as_text=True)
    _log(trainee.id, "reminder", f"{BASE}/courses/oldest", 70)
    _log(trainee.id, "welcome", f"{BASE}/courses/demo", 60)
    _log(trainee.id, "password_reset", None, 50)  # an account mail: never listed
    _log(trainee.id, "essay_graded", f"{BASE}/attempts/7/review", 40)
    _log(trainee.id, "certificate_issued", f"{BASE}/verify/ABC", 30)
    _log(trainee.id, "reminder", f"{BASE}/courses/demo", 20)
    _log(trainee.id, "certificate_revoked", f"{BASE}/verify/ABC", 10)
    _log(make_user(email="khac@example.vn").id, "welcome", f"{BASE}/courses/other", 5)
    with_notices = counted(client, count_queries, "/")
    assert with_notices == empty  # the query runs (and returns nothing) on every dashboard
    html = client.get("/").get_data(as_text=True)
    assert "Thông báo gần đây" in html
    section = html[html.index("Thông báo gần đây"):]
    order = [section.index(s) for s in ("Chứng nhận của bạn đã bị thu hồi.",
                                        "Sắp đến hạn.", "Chứng nhận của bạn đã sẵn sàng.",
                                        "Bài tự luận của bạn đã được chấm.")]
    assert order == sorted(order)
    assert 'href="/attempts/7/review"' in section and 'href="/verify/ABC"' in section
    assert "Bạn đã được ghi danh vào một lớp mới." in section
    assert "/courses/oldest" not in section  # the sixth: only five
    assert "/courses/other" not in html and "password" not in section


def test_the_dashboard_query_count_grows_by_one_at_most(app, client, trainee, count_queries,
                                                         monkeypatch):
    from course_app.learn import notices

    assert sign_in(client, trainee.email).status_code == 302
    client.get("/")
    with_notices = counted(client, count_queries, "/")
    monkeypatch.setattr(notices, "recent", lambda user_id: [])
    without = counted(client, count_queries, "/")
    assert with_notices == without + 1
