"""Authoring a non-developer can use (issue 19): slugs and keys proposed from the title and
checked beside the field; Publish on the editor with a readable summary of what changes; question
types by their translated names."""

from __future__ import annotations

import html as html_module
import re

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import Course, Lesson, Module, Question, Quiz

from ..helpers import post, sign_in
from .test_author import lesson_form, trainer_client


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<div class="field-error" id="{name}-error">(.*?)</div>', html, re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def english(client) -> None:
    assert post(client, "/language", {"locale": "en", "next": "/"}).status_code == 302


def module_quiz() -> Quiz:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1"))


# Slugs and keys --------------------------------------------------------------------------------

def test_an_empty_slug_is_proposed_from_the_title(app, loaded, make_user):
    author = trainer_client(app, make_user)
    for _ in range(2):
        made = post(author, "/author/courses/demo/modules/new",
                    {"slug": "", "title-vi": "Đường lối Đối ngoại"})
        assert made.status_code == 302
    slugs = set(db.session.scalars(sa.select(Module.slug).where(Module.slug.like("duong%"))))
    assert slugs == {"duong-loi-doi-ngoai", "duong-loi-doi-ngoai-2"}
    module = db.session.scalar(sa.select(Module).where(Module.slug == "duong-loi-doi-ngoai"))
    made = post(author, f"/author/courses/demo/modules/{module.id}/lessons/new",
                {"title-vi": "Khái niệm cơ bản", "body-vi": "Nội dung."})
    assert made.status_code == 302
    assert db.session.scalar(sa.select(Lesson).where(Lesson.slug == "khai-niem-co-ban"))
    made = post(author, "/author/courses/demo/quizzes/new", {
        "title-vi": "Kiểm tra: Đường lối", "pass_score": "50", "grading": "highest",
        "review": "full"})
    assert made.status_code == 302
    assert db.session.scalar(sa.select(Quiz).where(Quiz.slug == "kiem-tra-duong-loi"))
    made = post(author, "/author/courses/new", {"title-vi": "Đối ngoại số"})
    assert made.status_code == 302 and made.headers["Location"].endswith("/doi-ngoai-so")


def test_a_given_slug_is_kept(app, loaded, make_user):
    author = trainer_client(app, make_user)
    made = post(author, "/author/courses/demo/modules/new",
                {"slug": "mo-dau", "title-vi": "Đường lối Đối ngoại"})
    assert made.status_code == 302
    assert db.session.scalar(sa.select(Module).where(Module.slug == "mo-dau"))
    assert db.session.scalar(sa.select(Module).where(Module.slug == "duong-loi-doi-ngoai")) is None


def test_a_slug_in_use_is_shown_beside_the_field_with_the_input_kept(app, loaded, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/modules/1/lessons/new"
    refused = post(author, url, {"slug": "tong-quan", "title-vi": "Bài trùng", "body-vi": "Ý."})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "đã được dùng" in field_error(html, "slug")
    assert re.search(r'id="f-slug" name="slug" value="tong-quan" aria-describedby="slug-hint '
                     r'slug-error" aria-invalid="true"', html)
    assert 'value="Bài trùng"' in html
    assert db.session.scalar(sa.select(sa.func.count(Lesson.id)).where(
        Lesson.slug == "tong-quan")) == 1
    # Every error at once: a bad slug and a missing text.
    both = post(author, url, {"slug": "Bài Hai", "title-vi": "Bài hai"}).get_data(as_text=True)
    assert field_error(both, "slug") and field_error(both, "body-vi")
    # Without a slug or a title, only the title is asked for.
    none = post(author, url, {"body-vi": "Ý."}).get_data(as_text=True)
    assert field_error(none, "title-vi") and not field_error(none, "slug")
    reserved = post(author, "/author/courses/new", {"slug": "new", "title-vi": "Mới"})
    assert reserved.status_code == 400 and field_error(reserved.get_data(as_text=True), "slug")
    assert db.session.scalar(sa.select(Course).where(Course.slug == "new")) is None


def test_a_question_key_is_proposed_from_the_question(app, loaded, make_user):
    author = trainer_client(app, make_user)
    quiz = module_quiz()
    url = f"/author/courses/demo/quizzes/{quiz.id}/questions/new"
    form = {"type": "true_false", "answer": "true", "points": "1", "action": "save"}
    page = author.get(url + "?type=true_false").get_data(as_text=True)
    assert 'data-slug-from="f-text-vi" data-slug-max="40"' in page
    assert post(author, url, {**form, "text-vi": "Ai chịu trách nhiệm về thông tin đối ngoại "
                                                 "của thành phố?"}).status_code == 302
    assert db.session.scalar(sa.select(Question).where(
        Question.key == "ai-chiu-trach-nhiem-ve-thong-tin-doi"))
    assert post(author, url, {**form, "key": "dung-sai", "text-vi": "Câu?"}).status_code == 302
    assert db.session.scalar(sa.select(Question).where(Question.key == "dung-sai"))
    taken = post(author, url, {**form, "key": "q1", "text-vi": "Câu khác?"})
    assert taken.status_code == 400
    html = taken.get_data(as_text=True)
    assert "đã được dùng" in field_error(html, "key") and 'value="q1"' in html


# Publish on the editor -------------------------------------------------------------------------

def test_the_lesson_editor_publishes_with_a_summary_first(app, trainee, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/lessons/1"
    html = author.get(url).get_data(as_text=True)
    assert 'class="publish-panel"' not in html  # nothing to publish
    form = lesson_form(html)
    body = form["body-vi"].replace("## Mở đầu", "## Phần mở đầu").replace(
        "địa phương.", "địa phương ta.").replace("| A | B |", "| A | C |")
    assert post(author, url, {**form, "body-vi": body + "\n\nĐoạn mới.\n"}).status_code == 302
    html = author.get(url).get_data(as_text=True)
    panel = html.split('class="publish-panel"')[1].split("</section>")[0]
    assert "Bài 1.1 “Tổng quan về thông tin đối ngoại”: 3 đoạn được sửa, 1 đoạn được thêm" \
        in panel
    assert 'href="/author/courses/demo/changes#pending-lesson-1"' in panel
    changes = author.get("/author/courses/demo/changes").get_data(as_text=True)
    assert 'id="pending-lesson-1"' in changes and "3 đoạn được sửa" in changes
    assert "3 đoạn được sửa" in author.get("/author/courses/demo").get_data(as_text=True)
    english(author)
    assert "Lesson 1.1 “External information at a glance”: 3 paragraphs changed, " \
           "1 paragraph added" in author.get(url).get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+/lesson/1/publish)"', panel).group(1)
    published = post(author, action, {"next": url})
    assert published.status_code == 302 and published.headers["Location"] == url
    assert 'class="publish-panel"' not in author.get(url).get_data(as_text=True)
    learner = app.test_client()
    sign_in(learner, trainee.email)
    assert "Phần mở đầu" in learner.get("/courses/demo/lessons/tong-quan").get_data(as_text=True)


def test_the_question_editor_counts_the_quizs_questions(app, loaded, make_user):
    author = trainer_client(app, make_user)
    quiz = module_quiz()
    made = post(author, f"/author/courses/demo/quizzes/{quiz.id}/questions/new", {
        "type": "true_false", "key": "moi", "text-vi": "Đúng không?", "answer": "true",
        "action": "save"})
    editor = made.headers["Location"]
    html = author.get(editor).get_data(as_text=True)
    assert "Bài kiểm tra “Kiểm tra mô-đun 1”: 1 câu hỏi được thêm" in html
    quiz_page = author.get(f"/author/courses/demo/quizzes/{quiz.id}").get_data(as_text=True)
    assert "1 câu hỏi được thêm" in quiz_page.split('class="publish-panel"')[1]
    action = re.search(r'action="([^"]+/question/\d+/publish)"', html).group(1)
    assert post(author, action, {"next": editor}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Question).where(Question.key == "moi")).active
    assert 'class="publish-panel"' not in author.get(editor).get_data(as_text=True)


# Question types by name ------------------------------------------------------------------------

def test_question_types_are_named_in_the_readers_language(app, loaded, make_user):
    author = trainer_client(app, make_user)
    quiz = module_quiz()
    new = f"/author/courses/demo/quizzes/{quiz.id}/questions/new?type=true_false"
    question = db.session.scalar(sa.select(Question).where(Question.quiz_id == quiz.id,
                                                           Question.type == "single"))
    pages = {"quiz": f"/author/courses/demo/quizzes/{quiz.id}", "new": new,
             "edit": f"/author/courses/demo/questions/{question.id}"}
    for lang, names in (("vi", {"quiz": ["Đúng/Sai", "Chọn một đáp án"], "new": ["(Đúng/Sai)"],
                                "edit": ["(Chọn một đáp án)"]}),
                        ("en", {"quiz": [">True or false", ">Single choice"],
                                "new": ["(True or false)"], "edit": ["(Single choice)"]})):
        if lang == "en":
            english(author)
        for page, url in pages.items():
            html = author.get(url).get_data(as_text=True).split("<main")[1]
            assert all(name in html for name in names[page]), (lang, page)
            assert not re.search(r">\s*\(?(true_false|single|multiple)\)?\s*<", html), (lang, page)
