"""Each role's start page (GET /): a trainer's cohorts with their figures, an administrator's
figures of every cohort, the trainee's dashboard as before; a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from course_app.cohorts.start import week_start
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Lesson, LessonProgress
from course_app.models.types import utcnow
from tests import cohort_helpers as rows
from tests.helpers import sign_in


def _card(html: str, slug: str) -> dict[str, str]:
    """The figures of one cohort's card, by their label."""
    cards = re.findall(r'<li class="card cohort-card">(.*?)</li>', html, re.S)
    card = next(c for c in cards if f'href="/reports/cohorts/{slug}"' in c)
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<a [^>]*>)?([^<]*)", card))
    read = re.search(r"Lessons read: (\d+)%", card)
    facts["read"] = read.group(1) if read else ""
    return facts


def _world(make_user, cohort):
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    first = make_user("trainee", email="hv1@example.vn", cohort=cohort)
    make_user("trainee", email="hv2@example.vn", cohort=cohort)
    rows.cohort("lop-2", trainer)
    rows.cohort("lop-cu", trainer, archived=True)
    rows.cohort("lop-khac", make_user("trainer", email="khac@example.vn"))
    with writing():
        lessons = list(db.session.scalars(sa.select(Lesson.id)))
        db.session.add_all([LessonProgress(user_id=first.id, lesson_id=i) for i in lessons[:3]])
        db.session.commit()
    rows.waiting_attempt(first)
    rows.certificate(first)
    rows.certificate(make_user("trainee", email="hv3@example.vn", cohort=cohort),
                     issued_at=utcnow() - timedelta(days=30))
    return trainer, len(lessons)


def test_a_trainer_starts_on_the_cohorts_they_teach(client, cohort, make_user):
    _trainer, lessons = _world(make_user, cohort)
    sign_in(client, "gv@example.vn")
    post_language(client, "en")
    html = client.get("/").get_data(as_text=True)
    assert "not enrolled" not in html and "Your cohorts" in html
    assert 'href="/reports/cohorts/new"' in html
    assert 'href="/reports/cohorts/lop-2"' in html
    assert 'href="/reports/cohorts/lop-khac"' not in html  # another trainer's
    assert 'href="/reports/cohorts/lop-cu"' not in html  # archived: on request only
    card = _card(html, "lop-1")
    assert card["Trainees"] == "3" and card["Essays waiting"] == "1"
    assert card["Valid certificates"] == "2" and card["Issued this week"] == "1"
    assert card["read"] == str(round(100 * 3 / (lessons * 3)))
    assert _card(html, "lop-2")["Trainees"] == "0"
    assert 'href="/grading/?cohort=' in html


def test_an_administrator_starts_on_the_figures_of_every_cohort(app, cohort, make_user):
    _world(make_user, cohort)
    make_user("admin", email="qt@example.vn")
    client = app.test_client()
    sign_in(client, "qt@example.vn")
    post_language(client, "en")
    html = client.get("/").get_data(as_text=True)
    figures = dict((label, number) for number, label in re.findall(
        r'<span class="number">(\d+)</span><span class="label">([^<]+)</span>', html))
    assert figures == {"active cohorts": "3", "trainees": "3", "valid certificates": "2",
                       "certificates issued this week": "1", "essays waiting for grading": "1"}
    assert "1 archived cohorts" in html
    assert 'href="/reports/cohorts/lop-khac"' in html


def test_trainees_keep_their_dashboard(client, trainee):
    sign_in(client, "hang@example.vn")
    html = client.get("/").get_data(as_text=True)
    assert "Chứng nhận của tôi" in html and "cohort-card" not in html


def test_the_start_page_runs_a_fixed_number_of_queries(app, cohort, make_user, count_queries):
    trainer = make_user("trainer", email="gv@example.vn", cohort=cohort)
    make_user("admin", email="qt@example.vn")
    clients = {}
    for email in ("gv@example.vn", "qt@example.vn"):
        clients[email] = app.test_client()
        sign_in(clients[email], email)

    def counted() -> list[int]:
        found = []
        for client in clients.values():
            with count_queries() as queries:
                assert client.get("/").status_code == 200
            found.append(len(queries))
        return found

    small = counted()
    for n in range(4):
        made = rows.cohort(f"lop-x{n}", trainer)
        student = make_user("trainee", email=f"x{n}@example.vn", cohort=made)
        rows.waiting_attempt(student)
        rows.certificate(student)
    assert counted() == small
    assert small[0] <= 12, small


def test_the_week_starts_on_monday_in_the_app_time_zone():
    from datetime import date

    start = week_start(date(2026, 12, 9), "Asia/Ho_Chi_Minh")  # a Wednesday
    assert start.isoformat() == "2026-12-06T17:00:00+00:00"  # Monday 00:00 in Hanoi


def post_language(client, locale: str) -> None:
    from tests.helpers import post

    post(client, "/language", {"locale": locale, "next": "/verify"})
