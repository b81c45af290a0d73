"""The per-process cache of published outlines and lessons (progress/outline_cache.py): every
kind of content write moves the content generation on in its own transaction, trainee pages show
each change at once (also on another app server), and nothing uncommitted is ever kept."""

from __future__ import annotations

import sqlalchemy as sa

from course_app import create_app
from course_app.extensions import db
from course_app.models import ContentGeneration, Lesson, LessonProgress, Module, Quiz
from course_app.progress import outline_cache
from course_app.progress import service as progress
from course_app.progress.content_generation import changed_in

from ..helpers import post, sign_in
from ..web.test_author import trainer_client
from ..web.test_journey import _take_quiz, correct_answers


def generation() -> int:
    return db.session.scalar(sa.select(ContentGeneration.value))


def lesson_row(slug: str) -> Lesson:
    return db.session.scalar(sa.select(Lesson).where(Lesson.slug == slug))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_every_kind_of_content_write_moves_the_generation(app, loaded):
    start = generation()
    lesson_row("tong-quan").title = {"vi": "Tên mới", "en": "New name"}  # ORM change at flush
    db.session.commit()
    assert generation() == start + 1
    db.session.execute(sa.update(Quiz).values(pass_score=60))  # a statement on a content table
    db.session.commit()
    assert generation() == start + 2
    module = db.session.scalar(sa.select(Module).order_by(Module.position))
    db.session.add(Module(course_id=module.course_id, slug="moi", position=9,
                          title={"vi": "Mới"}))  # a new row
    db.session.commit()
    assert generation() == start + 3
    db.session.delete(db.session.scalar(sa.select(Module).where(Module.slug == "moi")))
    db.session.commit()
    assert generation() == start + 4


def test_unchanged_rows_and_other_tables_leave_it(app, trainee, client):
    start = generation()
    row = lesson_row("tong-quan")
    row.title = dict(row.title)  # assigned, but equal: not a change
    db.session.commit()
    assert sign_in(client, trainee.email).status_code == 302
    post(client, "/courses/demo/lessons/tong-quan/complete")
    _take_quiz(client, "demo", "module-1", correct_answers)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1
    assert generation() == start  # trainees' work never touches the content counter


def test_a_rolled_back_change_is_never_kept(app, trainee, client):
    assert sign_in(client, trainee.email).status_code == 302
    assert "Tổng quan về thông tin đối ngoại" in page(client, "/courses/demo/lessons/tong-quan")
    lesson_row("tong-quan").title = {"vi": "Chưa lưu", "en": "Not saved"}
    db.session.flush()
    assert changed_in(db.session)
    course = progress.course_for(trainee, "demo")
    seen = progress.course_progress(trainee, course)  # this session sees its own change ...
    assert any(tr.title["vi"] == "Chưa lưu" for m in seen.modules for tr, _ in m.lessons)
    db.session.rollback()
    assert not changed_in(db.session)
    html = page(client, "/courses/demo/lessons/tong-quan")  # ... which nobody else ever does
    assert "Chưa lưu" not in html and "Tổng quan về thông tin đối ngoại" in html


def test_trainee_pages_show_each_change_at_once(app, trainee, make_user, client):
    assert sign_in(client, trainee.email).status_code == 302
    before = page(client, "/courses/demo")
    assert before.index("<h3>Giới thiệu</h3>") < before.index("<h3>Thực hành</h3>")
    author = trainer_client(app, make_user)
    assert post(author, "/author/courses/demo/module/2/move", {"direction": "up"}
                ).status_code == 302
    moved = page(client, "/courses/demo")
    assert moved.index("<h3>Thực hành</h3>") < moved.index("<h3>Giới thiệu</h3>")
    assert post(author, "/author/courses/demo/lesson/2/archive").status_code == 302
    assert client.get("/courses/demo/lessons/doi-tuong").status_code == 404
    assert "doi-tuong" not in page(client, "/courses/demo/lessons/tong-quan")
    assert post(author, "/author/courses/demo/lesson/2/unarchive").status_code == 302
    assert "doi-tuong" in page(client, "/courses/demo/lessons/tong-quan")


def test_another_app_server_sees_the_change(app, trainee):
    other = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "CONTENT_ROOT",
                                                      "RATELIMIT_STORAGE_URI", "PUBLIC_URL")},
                        "TESTING": True, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "DATABASE_SCHEMA": app.config.get("DATABASE_SCHEMA")})
    browser = other.test_client()
    assert sign_in(browser, trainee.email).status_code == 302
    assert "Tổng quan về thông tin đối ngoại" in page(browser, "/courses/demo/lessons/doi-tuong")
    lesson_row("tong-quan").title = {"vi": "Tổng quan đã sửa", "en": "Overview, edited"}
    db.session.commit()  # written through this app; the other one only reads the database
    assert "Tổng quan đã sửa" in page(browser, "/courses/demo/lessons/doi-tuong")
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_unknown_lessons_are_not_kept(app, trainee, client):
    assert sign_in(client, trainee.email).status_code == 302
    for number in range(20):
        assert client.get(f"/courses/demo/lessons/khong-co-{number}").status_code == 404
    kept = app.extensions["course_app.outline_cache"].entries
    # Keys: (content generation, kind, course id, ...): nothing but version and lookup.
    assert any(key[1:] == ("outline", 1) for key in kept)
    assert not [key for key in kept if key[1] == "lesson" and "khong-co" in key[3]]
    assert outline_cache.lesson(1, "khong-co-1", generation()) is None


def test_a_quiz_taken_still_shows_its_grade_from_the_cached_outline(app, trainee, client):
    assert sign_in(client, trainee.email).status_code == 302
    page(client, "/courses/demo")
    _take_quiz(client, "demo", "module-1", correct_answers)
    assert "100%" in page(client, "/courses/demo/lessons/tong-quan")
