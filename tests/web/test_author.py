"""Authoring in the browser (/author): access for each role, the whole trainer journey,
drafts and publishing, history, optimistic locking, validation, import and images."""

from __future__ import annotations

import html as html_module
import io
import re

import pytest
import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import (
    Attempt,
    AuditEvent,
    ContentDraft,
    Course,
    Lesson,
    LessonProgress,
    Media,
    Module,
    Question,
    Quiz,
)
from course_app.security.access import policy_of

from ..helpers import post, sign_in

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
       b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
ENDPOINTS = {
    "index", "new_course", "course", "course_settings", "changes", "publish_all", "package",
    "media", "media_file", "preview", "move", "archive", "unarchive", "delete", "publish",
    "item_history", "restore", "new_module", "edit_module", "new_lesson", "edit_lesson",
    "new_quiz", "quiz", "quiz_settings", "quiz_preview", "import_file", "new_question",
    "edit_question",
}
GET_PAGES = [
    "/author/", "/author/courses/new", "/author/courses/demo", "/author/courses/demo/settings",
    "/author/courses/demo/changes", "/author/courses/demo/media",
    "/author/courses/demo/media/chu-trinh.svg", "/author/courses/demo/package.zip",
    "/author/courses/demo/modules/new", "/author/courses/demo/modules/1",
    "/author/courses/demo/modules/1/lessons/new", "/author/courses/demo/lessons/1",
    "/author/courses/demo/lesson/1/history", "/author/courses/demo/quizzes/new",
    "/author/courses/demo/quizzes/2", "/author/courses/demo/quizzes/2/settings",
    "/author/courses/demo/quizzes/2/preview",
    "/author/courses/demo/quizzes/2/questions/new?type=matching",
    "/author/courses/demo/questions/1",
]
POSTS = [
    "/author/courses/new", "/author/courses/demo/publish", "/author/courses/demo/media",
    "/author/preview", "/author/courses/demo/lesson/1/move",
    "/author/courses/demo/lesson/1/archive",
    "/author/courses/demo/lesson/1/unarchive", "/author/courses/demo/lesson/1/delete",
    "/author/courses/demo/lesson/1/publish", "/author/courses/demo/lesson/1/revisions/1/restore",
    "/author/courses/demo/lessons/1", "/author/courses/demo/quizzes/2/import",
]


def lock(html: str) -> str:
    return re.search(r'name="lock_version" value="(\d+)"', html).group(1)


def trainer_client(app, make_user, role="trainer"):
    client = app.test_client()
    user = make_user(role)
    assert sign_in(client, user.email).status_code == 302
    return client


def lesson_form(html: str, **changes: str) -> dict[str, str]:
    """The editor's fields as the browser would post them back."""
    fields = {"lock_version": lock(html)}
    for name in ("title-vi", "title-en", "minutes"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        fields[name] = html_module.unescape(match.group(1)) if match else ""
    for name in ("body-vi", "body-en", "objectives-vi", "objectives-en"):
        match = re.search(rf'name="{name}"[^>]*>\n(.*?)</textarea>', html, re.S)
        fields[name] = html_module.unescape(match.group(1)) if match else ""
    fields.update(changes)
    return fields


# Access ----------------------------------------------------------------------------------------

def test_every_author_route_is_for_trainers(app):
    declared = {rule.endpoint.split(".", 1)[1]: policy_of(app, rule.endpoint)
                for rule in app.url_map.iter_rules() if rule.endpoint.startswith("author.")}
    assert set(declared) == ENDPOINTS
    assert set(declared.values()) == {"trainer"}


@pytest.mark.parametrize("url", GET_PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_anonymous_posts_are_refused(client, loaded):
    for url in POSTS:
        assert post(client, url).status_code == 401, url


def test_trainees_get_nothing(client, trainee):
    sign_in(client, trainee.email)
    for url in GET_PAGES:
        assert client.get(url).status_code == 403, url
    for url in POSTS:
        assert post(client, url).status_code == 403, url
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_and_admins_reach_every_page(app, loaded, make_user, role):
    client = trainer_client(app, make_user, role)
    for url in GET_PAGES:
        assert client.get(url).status_code == 200, url


def test_unknown_or_foreign_items_are_not_found(app, loaded, make_user):
    client = trainer_client(app, make_user)
    for url in ("/author/courses/nope", "/author/courses/demo/lessons/999",
                "/author/courses/demo/widget/1/history", "/author/courses/demo/questions/999",
                "/author/courses/demo/quizzes/2/questions/new?type=bogus",
                "/author/courses/demo/media/missing.png"):
        assert client.get(url).status_code == 404, url


# The journey of the issue ----------------------------------------------------------------------

QUESTION_FORMS = {
    "single": {"choices-0-text-vi": "Ban Chỉ đạo", "choices-1-text-vi": "Một công ty",
               "correct": "0"},
    "multiple": {"choices-0-text-vi": "Nhà đầu tư", "choices-0-correct": "on",
                 "choices-1-text-vi": "Du khách", "choices-1-correct": "on",
                 "choices-2-text-vi": "Máy móc"},
    "true_false": {"answer": "true", "feedback_false-vi": "Xem lại bài."},
    "short": {"answers-0-text": "Hải Phòng", "ignore_diacritics": "on"},
    "numeric": {"answers-0-value": "500", "answers-0-tolerance": "0"},
    "matching": {"pairs-0-prompt-vi": "Báo in", "pairs-0-answer-vi": "Giấy",
                 "pairs-1-prompt-vi": "Truyền hình", "pairs-1-answer-vi": "Màn hình"},
    "ordering": {"items-0-text-vi": "Lập kế hoạch", "items-1-text-vi": "Thực hiện",
                 "items-2-text-vi": "Đánh giá"},
    "essay": {"rubric-vi": "Nêu rõ mục tiêu."},
}


def test_trainer_builds_a_module_that_a_trainee_then_takes(app, trainee, make_user):
    author = trainer_client(app, make_user)
    created = post(author, "/author/courses/demo/modules/new",
                   {"slug": "mo-rong", "title-vi": "Mở rộng", "title-en": "Going further"})
    assert created.status_code == 302
    new_lesson_url = created.headers["Location"]
    module = db.session.scalar(sa.select(Module).where(Module.slug == "mo-rong"))
    assert module.archived and module.published_at is None  # a new module is a draft
    uploaded = post(author, new_lesson_url, {
        "action": "upload", "slug": "bai-moi", "title-vi": "Bài mới", "body-vi": "Mở đầu.",
        "image": (io.BytesIO(PNG), "Sơ đồ kênh.png"), "image_alt": "Sơ đồ các kênh"})
    assert uploaded.status_code == 200
    html = uploaded.get_data(as_text=True)
    assert "![Sơ đồ các kênh](media/so-do-kenh.png)" in html
    body = "Mở đầu.\n\n![Sơ đồ các kênh](media/so-do-kenh.png)\n\n**Ghi nhớ**: ba kênh."
    form = {"slug": "bai-moi", "title-vi": "Bài mới", "title-en": "New lesson",
            "body-vi": body, "body-en": "Opening.", "objectives-vi": "Biết ba kênh"}
    previewed = post(author, new_lesson_url, {**form, "action": "preview"})
    assert previewed.status_code == 200
    assert 'src="/author/courses/demo/media/so-do-kenh.png"' in previewed.get_data(as_text=True)
    assert db.session.scalar(sa.select(Lesson).where(Lesson.slug == "bai-moi")) is None
    saved = post(author, new_lesson_url, {**form, "action": "save"})
    assert saved.status_code == 302
    made = post(author, "/author/courses/demo/quizzes/new", {
        "slug": "mo-rong-quiz", "title-vi": "Kiểm tra mở rộng", "module": "mo-rong",
        "pass_score": "50", "grading": "highest", "review": "full"})
    assert made.status_code == 302, made.get_data(as_text=True)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "mo-rong-quiz"))
    for number, (kind, fields) in enumerate(QUESTION_FORMS.items(), 1):
        response = post(author, f"/author/courses/demo/quizzes/{quiz.id}/questions/new", {
            "type": kind, "key": f"c{number}", "text-vi": f"Câu {number}?", "points": "1",
            "action": "save", **fields})
        assert response.status_code == 302, (kind, response.get_data(as_text=True))
    preview = author.get(f"/author/courses/demo/quizzes/{quiz.id}/preview").get_data(as_text=True)
    # An unanswered ordering question shows its move buttons, and posts no field until used.
    assert all(f'name="q-c{n}' in preview or f'name="move" value="c{n}:' in preview
               for n in range(1, 9))
    assert "correct" not in preview.split('class="trainee-preview"')[1]
    learner = app.test_client()
    sign_in(learner, trainee.email)
    assert "Mở rộng" not in learner.get("/courses/demo").get_data(as_text=True)
    published = post(author, "/author/courses/demo/publish")
    assert published.status_code == 302
    outline = learner.get("/courses/demo").get_data(as_text=True)
    assert "Mở rộng" in outline and "Bài mới" in outline and "Kiểm tra mở rộng" in outline
    lesson_page = learner.get("/courses/demo/lessons/bai-moi").get_data(as_text=True)
    assert 'src="/courses/demo/media/so-do-kenh.png"' in lesson_page
    image = learner.get("/courses/demo/media/so-do-kenh.png")
    assert image.status_code == 200 and image.data == PNG
    started = post(learner, "/courses/demo/quizzes/mo-rong-quiz/attempts")
    attempt_page = learner.get(started.headers["Location"]).get_data(as_text=True)
    assert all(f'name="q-c{n}' in attempt_page or f'name="move" value="c{n}:' in attempt_page
               for n in range(1, 9))
    submitted = post(learner, started.headers["Location"] + "/submit",
                     {"q-c1": "a", "q-c3": "true", "q-c4": "hai phong", "q-c5": "500"})
    assert submitted.status_code == 302
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.quiz_id == quiz.id))
    assert attempt.score_raw == 4.0
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "content.publish"))


# Drafts, publishing, history, locking ----------------------------------------------------------

def test_drafts_stay_hidden_until_published_and_the_change_is_shown(app, trainee, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/lessons/1"
    html = author.get(url).get_data(as_text=True)
    saved = post(author, url, lesson_form(html, **{"title-vi": "Tổng quan (mới)"}))
    assert saved.status_code == 302
    learner = app.test_client()
    sign_in(learner, trainee.email)
    page = learner.get("/courses/demo/lessons/tong-quan").get_data(as_text=True)
    assert "Tổng quan về thông tin đối ngoại" in page and "(mới)" not in page
    changes = author.get("/author/courses/demo/changes").get_data(as_text=True)
    assert "title.vi" in changes and "Tổng quan (mới)" in changes
    assert post(author, "/author/courses/demo/lesson/1/publish").status_code == 302
    assert "Tổng quan (mới)" in learner.get("/courses/demo/lessons/tong-quan").get_data(
        as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "content.publish"))
    assert event.details["items"] == ["lesson:tong-quan"] and event.target == "course:demo"
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0


def test_a_stale_form_is_refused_and_nothing_is_overwritten(app, loaded, make_user):
    first = trainer_client(app, make_user)
    second = trainer_client(app, make_user)
    url = "/author/courses/demo/lessons/3"
    first_form = first.get(url).get_data(as_text=True)
    second_form = second.get(url).get_data(as_text=True)
    assert post(first, url, lesson_form(first_form, **{"title-vi": "Bản của A"})).status_code == 302
    refused = post(second, url, lesson_form(second_form, **{"title-vi": "Bản của B"}))
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Bản của B" in html  # the second trainer's text is still in the form
    assert "Trainer" in html or "Nguyễn" in html
    draft = db.session.scalar(sa.select(ContentDraft).where(ContentDraft.kind == "lesson"))
    assert draft.data["title"]["vi"] == "Bản của A"


def test_every_save_is_kept_and_can_be_restored(app, loaded, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/lessons/3"
    for title in ("Lần một", "Lần hai"):
        html = author.get(url).get_data(as_text=True)
        assert post(author, url, lesson_form(html, **{"title-vi": title})).status_code == 302
    history = author.get("/author/courses/demo/lesson/3/history").get_data(as_text=True)
    assert re.findall(r'<th scope="row">(\d+)</th>', history) == ["3", "2", "1"]
    assert "Lần hai" in history and "Lập kế hoạch" in history
    html = author.get(url).get_data(as_text=True)
    restored = post(author, "/author/courses/demo/lesson/3/revisions/1/restore",
                    {"lock_version": lock(html), "next": url})
    assert restored.status_code == 302
    draft = db.session.scalar(sa.select(ContentDraft).where(ContentDraft.kind == "lesson"))
    assert draft is None  # revision 1 is what is published: nothing is pending any more
    assert "Lập kế hoạch" in author.get(url).get_data(as_text=True)
    stale = post(author, "/author/courses/demo/lesson/3/revisions/2/restore",
                 {"lock_version": lock(html), "next": url})
    assert stale.status_code == 302
    assert db.session.scalar(sa.select(ContentDraft)) is None


def test_a_published_change_gives_the_question_a_new_version(app, trainee, make_user):
    learner = app.test_client()
    sign_in(learner, trainee.email)
    started = post(learner, "/courses/demo/quizzes/module-1/attempts")
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/questions/1"
    html = author.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    fields.update({"text-vi": "Mục đích chính là gì?", "action": "save",
                   "correct": "0"})
    fields.pop("csrf_token")
    assert post(author, url, fields).status_code == 302
    assert db.session.get(Question, 1).version == 1
    assert post(author, "/author/courses/demo/quiz/1/publish").status_code == 302
    question = db.session.get(Question, 1)
    assert question.version == 2 and question.text["vi"] == "Mục đích chính là gì?"
    attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
    shown = next(q for q in attempt.questions if q["key"] == "q1")
    assert shown["version"] == 1 and shown["text"]["vi"].startswith("Mục đích chính của")


def test_delete_is_refused_where_trainees_have_worked(app, trainee, make_user):
    learner = app.test_client()
    sign_in(learner, trainee.email)
    post(learner, "/courses/demo/lessons/tong-quan/complete")
    post(learner, "/courses/demo/quizzes/final/attempts")
    author = trainer_client(app, make_user)
    for url in ("/author/courses/demo/lesson/1/delete", "/author/courses/demo/quiz/1/delete",
                "/author/courses/demo/module/1/delete", "/author/courses/demo/course/1/delete"):
        refused = post(author, url, follow_redirects=True)
        assert "Archive it instead" in refused.get_data(as_text=True) or \
            "Lưu trữ" in refused.get_data(as_text=True), url
    assert db.session.get(Lesson, 1) is not None
    archived = post(author, "/author/courses/demo/lesson/2/archive")
    assert archived.status_code == 302 and db.session.get(Lesson, 2).archived
    assert learner.get("/courses/demo/lessons/doi-tuong").status_code == 404
    refused = post(author, "/author/courses/demo/lesson/3/archive", follow_redirects=True)
    assert "a module needs at least one lesson" in refused.get_data(as_text=True)
    assert not db.session.get(Lesson, 3).archived
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1


def test_new_items_can_be_deleted(app, loaded, make_user):
    author = trainer_client(app, make_user)
    post(author, "/author/courses/demo/modules/new", {"slug": "tam", "title-vi": "Tạm"})
    module = db.session.scalar(sa.select(Module).where(Module.slug == "tam"))
    deleted = post(author, f"/author/courses/demo/module/{module.id}/delete")
    assert deleted.status_code == 302
    assert db.session.scalar(sa.select(Module).where(Module.slug == "tam")) is None
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0
    post(author, "/author/courses/new", {"slug": "thu", "title-vi": "Thử"})
    course = db.session.scalar(sa.select(Course).where(Course.slug == "thu"))
    gone = post(author, f"/author/courses/thu/course/{course.id}/delete")
    assert gone.headers["Location"] == "/author/"
    assert db.session.scalar(sa.select(Course).where(Course.slug == "thu")) is None
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0


def test_modules_and_lessons_can_be_reordered(app, loaded, make_user):
    author = trainer_client(app, make_user)
    moved = post(author, "/author/courses/demo/module/2/move", {"direction": "up"})
    assert moved.status_code == 302
    assert [m.slug for m in db.session.scalars(sa.select(Module).order_by(Module.position))] == \
        ["thuc-hanh", "gioi-thieu"]
    post(author, "/author/courses/demo/lesson/1/move", {"direction": "down"})
    ordered = db.session.scalars(sa.select(Lesson).where(Lesson.module_id == 1)
                                 .order_by(Lesson.position))
    assert [lesson.slug for lesson in ordered] == ["doi-tuong", "tong-quan"]


# Validation ------------------------------------------------------------------------------------

def test_question_errors_are_shown_next_to_their_fields(app, loaded, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/quizzes/2/questions/new"
    choices = {"type": "multiple", "key": "m1", "text-vi": "Chọn?",
               "choices-0-text-vi": "A", "choices-0-correct": "on", "choices-0-weight": "50",
               "choices-1-text-vi": "B", "choices-1-correct": "on", "choices-1-weight": "30",
               "choices-2-text-vi": "C"}
    wrong = post(author, url, choices)
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert re.search(r'id="choices-error">\s*<p>[^<]*80', html)  # weights can never reach 100
    not_a_number = post(author, url, {**choices, "choices-2-weight": "abc"})
    assert re.search(r'id="choices-2-weight-error">\s*<p>', not_a_number.get_data(as_text=True))
    single = post(author, url, {"type": "single", "key": "s1", "text-vi": "Một?",
                                "choices-0-text-vi": "A", "choices-1-text-en": "only English"})
    text = single.get_data(as_text=True)
    assert single.status_code == 400
    assert 'id="choices-error"' in text and 'id="choices-1-text-vi-error"' in text
    assert db.session.scalar(sa.select(Question).where(Question.key.in_(["m1", "s1"]))) is None


def test_question_preview_is_what_trainees_see(app, loaded, make_user):
    author = trainer_client(app, make_user)
    response = post(author, "/author/courses/demo/quizzes/2/questions/new", {
        "type": "single", "key": "s2", "text-vi": "Thủ đô?", "choices-0-text-vi": "Hà Nội",
        "choices-0-feedback-vi": "Chính xác", "choices-1-text-vi": "Huế", "correct": "0",
        "action": "preview"})
    assert response.status_code == 200
    shown = response.get_data(as_text=True).split('class="trainee-preview"')[1]
    assert 'type="radio" name="q-s2" value="a"' in shown and "Hà Nội" in shown
    assert "Chính xác" not in shown  # feedback is for the review, never before
    assert db.session.scalar(sa.select(Question).where(Question.key == "s2")) is None


def test_lesson_preview_uses_the_trainees_sanitiser(app, loaded, make_user):
    author = trainer_client(app, make_user)
    html = author.get("/author/courses/demo/lessons/3").get_data(as_text=True)
    body = ("**đậm**\n\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n"
            "[x](javascript:alert(1))")
    page = post(author, "/author/courses/demo/lessons/3",
                lesson_form(html, **{"body-vi": body, "action": "preview"}))
    preview = page.get_data(as_text=True).split('id="preview-vi"')[1].split("</section>")[0]
    assert "<strong>đậm</strong>" in preview
    for bad in ("<script", "onerror", 'href="javascript:'):
        assert bad not in preview
    live = post(author, "/author/preview", {"markdown": body, "course": "demo"})
    assert live.status_code == 200 and "<strong>đậm</strong>" in live.json["html"]
    assert "onerror" not in live.json["html"] and live.json["minutes"] == 1


def test_markdown_has_a_work_limit(app, loaded, make_user):
    """SECURITY promise 24 (issue 18 item 8): the live preview and a saved lesson hold at most
    MAX_SOURCE_CHARS per language; a longer text is refused with a message, the typed text kept
    in the form, nothing saved."""
    from course_app.content.markdown import MAX_SOURCE_CHARS

    author = trainer_client(app, make_user)
    hostile = "[" * (MAX_SOURCE_CHARS + 1)
    live = post(author, "/author/preview", {"markdown": hostile, "course": "demo"})
    assert live.status_code == 413 and "50" in live.json["error"] and "html" not in live.json
    fits = post(author, "/author/preview", {"markdown": "[" * MAX_SOURCE_CHARS, "course": "demo"})
    assert fits.status_code == 200
    html = author.get("/author/courses/demo/lessons/3").get_data(as_text=True)
    long_text = "Đoạn văn. " * (MAX_SOURCE_CHARS // 10 + 1)
    response = post(author, "/author/courses/demo/lessons/3",
                    lesson_form(html, **{"body-vi": long_text}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Đoạn văn. Đoạn văn." in page
    assert page.split('id="body-vi-error"')[1][:300].count("50") >= 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentDraft)) == 0


def test_lesson_images_must_exist_and_have_alt_text(app, loaded, make_user):
    author = trainer_client(app, make_user)
    html = author.get("/author/courses/demo/lessons/3").get_data(as_text=True)
    response = post(author, "/author/courses/demo/lessons/3", lesson_form(
        html, **{"body-vi": "![](media/chu-trinh.svg)\n\n![Ảnh](media/khong-co.png)"}))
    assert response.status_code == 400
    errors = response.get_data(as_text=True).split('id="body-vi-error"')[1][:600]
    # One message for the missing alt text (it shows the fix), one for the missing file.
    assert "![" in errors and "media/chu-trinh.svg" in errors and "khong-co.png" in errors


def test_publish_is_refused_when_the_course_would_not_check(app, loaded, make_user):
    author = trainer_client(app, make_user)
    post(author, "/author/courses/demo/quizzes/new", {
        "slug": "qua-nhieu", "title-vi": "Rút thăm", "pass_score": "50", "draw": "5",
        "grading": "highest", "review": "full", "required": "on"})
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "qua-nhieu"))
    post(author, f"/author/courses/demo/quizzes/{quiz.id}/questions/new", {
        "type": "true_false", "key": "t1", "text-vi": "Đúng?", "answer": "true"})
    refused = post(author, f"/author/courses/demo/quiz/{quiz.id}/publish", follow_redirects=True)
    assert "is 5 but the quiz has 1 questions" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Quiz, quiz.id).archived
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "content.publish")) \
        is None


def test_a_required_quiz_cannot_hold_essays(app, loaded, make_user):
    author = trainer_client(app, make_user)
    html = author.get("/author/courses/demo/quizzes/3/settings").get_data(as_text=True)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    fields.pop("csrf_token")
    fields.update({"required": "on", "grading": "highest", "review": "full"})
    response = post(author, "/author/courses/demo/quizzes/3/settings", fields)
    assert response.status_code == 400
    assert 'id="required-error"' in response.get_data(as_text=True)


# Import and images -----------------------------------------------------------------------------

GIFT = """::g1::Thủ đô của Việt Nam?{=Hà Nội ~Huế ~Đà Nẵng}

::g2::Hải Phòng là thành phố cảng.{TRUE}
"""


def test_gift_import_shows_a_preview_and_errors_before_saving(app, loaded, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/quizzes/2/import"
    broken = post(author, url, {"format": "gift", "action": "preview",
                                "file": (io.BytesIO((GIFT + "\n::g3::Hỏng{=A ~B\n").encode()),
                                         "q.gift")})
    assert broken.status_code == 400
    assert re.search(r"Line 5|Dòng 5", broken.get_data(as_text=True))
    assert db.session.scalar(sa.select(Question).where(Question.key == "g1")) is None
    checked = post(author, url, {"format": "gift", "action": "preview",
                                 "file": (io.BytesIO(GIFT.encode()), "q.gift")})
    assert checked.status_code == 200
    assert 'name="q-g1"' in checked.get_data(as_text=True)
    source = re.search(r'name="source" value="([^"]*)"', checked.get_data(as_text=True)).group(1)
    imported = post(author, url, {"format": "gift", "action": "import",
                                  "source": html_module.unescape(source)})
    assert imported.status_code == 302
    new = list(db.session.scalars(sa.select(Question).where(Question.key.in_(["g1", "g2"]))))
    assert len(new) == 2 and not any(q.active for q in new)  # drafts until published


def test_aiken_import_renames_keys_already_used(app, loaded, make_user):
    author = trainer_client(app, make_user)
    text = "Câu hỏi?\nA) Một\nB) Hai\nANSWER: A\n"
    post(author, "/author/courses/demo/quizzes/2/questions/new", {
        "type": "true_false", "key": "q1", "text-vi": "Đúng?", "answer": "true"})
    response = post(author, "/author/courses/demo/quizzes/2/import", {
        "format": "aiken", "action": "import", "source": text})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Question).where(Question.key == "q1-2")) is not None


@pytest.mark.parametrize(("name", "data", "alt", "problem"), [
    ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "Hình", "PNG, JPEG"),
    ("a.png", b"<html><script>alert(1)</script>", "Hình", "PNG, JPEG"),
    ("a.png", PNG, "  ", "alt"),
    ("a.png", b"", "Hình", "image"),
])
def test_uploads_are_checked_by_content(app, loaded, make_user, name, data, alt, problem):
    author = trainer_client(app, make_user)
    response = post(author, "/author/courses/demo/media",
                    {"image": (io.BytesIO(data), name), "alt": alt})
    assert response.status_code == 400
    assert problem in response.get_data(as_text=True) or "alt" in problem
    assert db.session.scalar(sa.select(sa.func.count(Media.id))) == 1


def test_uploads_have_a_size_limit(loaded):
    from course_app.author import media as authoring_media
    from course_app.domain.errors import ServiceError

    course = db.session.get(Course, 1)
    with pytest.raises(ServiceError, match="larger than 2048 KiB"):
        authoring_media.upload(course, "a.png", PNG + b"0" * (2 * 1024 * 1024), "Hình")
    assert authoring_media.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert authoring_media.sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"


def test_an_uploaded_image_is_served_with_safe_headers(app, loaded, make_user):
    author = trainer_client(app, make_user)
    response = post(author, "/author/courses/demo/media",
                    {"image": (io.BytesIO(PNG), "Bản đồ.JPG"), "alt": "Bản đồ"})
    assert response.status_code == 200
    assert "![Bản đồ](media/ban-do.png)" in response.get_data(as_text=True)  # type from content
    served = author.get("/author/courses/demo/media/ban-do.png")
    assert served.data == PNG and served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    again = post(author, "/author/courses/demo/media",
                 {"image": (io.BytesIO(PNG), "Bản đồ.png"), "alt": "Bản đồ"})
    assert again.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Media.id))) == 2  # stored once


def test_the_course_package_downloads_as_a_zip(app, loaded, make_user):
    import zipfile

    author = trainer_client(app, make_user)
    response = author.get("/author/courses/demo/package.zip")
    assert response.headers["Content-Type"] == "application/zip"
    assert 'filename="demo.zip"' in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "quizzes/demo/module-1.yaml" in names and "lessons/demo/course.yaml" in names


def test_a_new_course_can_be_created_and_published(app, loaded, make_user):
    author = trainer_client(app, make_user)
    bad = post(author, "/author/courses/new", {"slug": "Khoá Mới", "title-vi": "Khóa mới"})
    assert bad.status_code == 400 and 'id="slug-error"' in bad.get_data(as_text=True)
    made = post(author, "/author/courses/new", {"slug": "khoa-moi", "title-vi": "Khóa mới",
                                                "estimated_hours": "3,5"})
    assert made.status_code == 302
    refused = post(author, "/author/courses/khoa-moi/publish", follow_redirects=True)
    assert "a course needs at least one module" in refused.get_data(as_text=True)
    post(author, "/author/courses/khoa-moi/modules/new", {"slug": "mot", "title-vi": "Một"})
    module = db.session.scalar(sa.select(Module).where(Module.slug == "mot"))
    post(author, f"/author/courses/khoa-moi/modules/{module.id}/lessons/new",
         {"slug": "bai-1", "title-vi": "Bài 1", "body-vi": "Nội dung."})
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "bai-1"))
    assert post(author, f"/author/courses/khoa-moi/lesson/{lesson.id}/publish").status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, lesson.course_id)
    assert not course.archived and course.estimated_hours == 3.5
    assert not db.session.get(Module, module.id).archived


def test_the_outline_runs_a_fixed_number_of_queries(app, loaded, make_user, count_queries):
    author = trainer_client(app, make_user)
    author.get("/author/courses/demo")
    with count_queries() as small:
        assert author.get("/author/courses/demo").status_code == 200
    for number in range(4):
        post(author, "/author/courses/demo/modules/1/lessons/new",
             {"slug": f"them-{number}", "title-vi": "Thêm", "body-vi": "Nội dung."})
    with count_queries() as large:
        assert author.get("/author/courses/demo").status_code == 200
    assert len(large) == len(small)


def test_an_essay_cannot_join_a_required_quiz(app, loaded, make_user):
    author = trainer_client(app, make_user)
    response = post(author, "/author/courses/demo/quizzes/2/questions/new", {
        "type": "essay", "key": "e9", "text-vi": "Viết?", "rubric-vi": "Rõ ràng."})
    assert response.status_code == 400
    assert "required quiz cannot hold essay" in response.get_data(as_text=True) or \
        "bắt buộc" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Question).where(Question.key == "e9")) is None


def test_an_editor_with_a_draft_links_to_what_changed(app, loaded, make_user):
    author = trainer_client(app, make_user)
    url = "/author/courses/demo/modules/2"
    html = author.get(url).get_data(as_text=True)
    assert "/author/courses/demo/changes" not in html.split("<main")[1]
    fields = {"lock_version": lock(html), "title-vi": "Thực hành (mới)", "title-en": "Practice"}
    assert post(author, url, fields).status_code == 302
    assert "/author/courses/demo/changes" in author.get(url).get_data(as_text=True)


def test_question_types_are_shown_by_their_translated_name(app, loaded, make_user):
    author = trainer_client(app, make_user)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1"))
    page = author.get(f"/author/courses/demo/quizzes/{quiz.id}").get_data(as_text=True)
    assert "<td>Đúng/Sai</td>" in page and "<td>Chọn một đáp án</td>" in page
    assert "<td>true_false</td>" not in page and "<td>single</td>" not in page
