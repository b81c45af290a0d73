"""Progress rules: "Next lesson" marks the lesson read (a POST button, works without
JavaScript); a lesson published after a certificate never withdraws it, and the trainee's course
page lists what was added since."""

from __future__ import annotations

import re
import shutil

import sqlalchemy as sa

from course_app.catalog import content_loader
from course_app.content.package import read_package
from course_app.database import writing
from course_app.extensions import db
from course_app.models import Certificate, Lesson, LessonProgress

from ..conftest import CONTENT
from ..helpers import post, sign_in
from .test_journey import _take_quiz, correct_answers

LESSONS = ("tong-quan", "doi-tuong", "ke-hoach")


def read_lessons(trainee):
    return set(db.session.scalars(sa.select(Lesson.slug).join(
        LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(LessonProgress.user_id == trainee.id)))


def test_next_lesson_is_a_button_that_marks_the_lesson_read(client, trainee):
    assert sign_in(client, trainee.email).status_code == 302
    html = client.get("/courses/demo/lessons/tong-quan").get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)" class="pager-next">(.*?)</form>',
                     html, re.S)
    assert form and form.group(1) == "/courses/demo/lessons/tong-quan/complete"
    assert 'name="csrf_token"' in form.group(2) and 'data-next-lesson="doi-tuong"' in form.group(2)
    assert 'rel="next"' not in html  # no bare link that leaves the lesson unread
    response = post(client, form.group(1))  # a plain form: the same without JavaScript
    assert response.headers["Location"].endswith("/courses/demo/lessons/doi-tuong")
    assert read_lessons(trainee) == {"tong-quan"}
    post(client, form.group(1))  # pressed again: harmless
    assert read_lessons(trainee) == {"tong-quan"}


def publish_a_new_lesson(tmp_path):
    root = tmp_path / "pkg"
    shutil.copytree(CONTENT, root)
    (root / "lessons/demo/02-thuc-hanh/02-bai-moi.md").write_text(
        '---\ntitle: "Bài học bổ sung"\n---\nNội dung mới.\n', encoding="utf-8")
    courses, problems = read_package(root)
    assert not [p for p in problems if not p.warning], problems
    with writing():
        content_loader.load_courses(courses)
        db.session.commit()


def test_a_lesson_published_after_the_certificate_never_withdraws_it(app, client, trainee,
                                                                     tmp_path):
    assert sign_in(client, trainee.email).status_code == 302
    for lesson in LESSONS:
        post(client, f"/courses/demo/lessons/{lesson}/complete")
    _take_quiz(client, "demo", "module-1", correct_answers)
    _take_quiz(client, "demo", "final", correct_answers)
    certificate = db.session.scalars(sa.select(Certificate)).one()
    assert "data-since-certificate" not in client.get("/courses/demo").get_data(as_text=True)

    publish_a_new_lesson(tmp_path)
    page = client.get("/courses/demo").get_data(as_text=True)
    assert "data-since-certificate" in page and "Bài học bổ sung" in page
    assert "/courses/demo/lessons/bai-moi" in page
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "valid"
    assert app.test_client().get(f"/verify/{certificate.code}.json").get_json()["status"] \
        == "valid"
    assert f"/certificates/{certificate.code}.pdf" in client.get("/").get_data(as_text=True)

    post(client, "/courses/demo/lessons/bai-moi/complete")  # studied: complete again
    page = client.get("/courses/demo").get_data(as_text=True)
    assert "data-since-certificate" not in page
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1  # not issued twice

