"""Trainee pages run a fixed number of queries, whatever the trainee has done: counted on a
fresh trainee and again after lessons read and quizzes taken."""

from __future__ import annotations

from tests.helpers import post, sign_in
from tests.web.test_journey import _take_quiz, correct_answers

LESSONS = ("tong-quan", "doi-tuong", "ke-hoach")
# user, course with enrolment, lesson, modules with lessons, quizzes, lessons read, attempts
LESSON_PAGE_QUERIES = 7


def counted(client, count_queries, url: str) -> int:
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lesson_page_runs_seven_queries_before_and_after_progress(client, trainee,
                                                                  count_queries):
    assert sign_in(client, "hang@example.vn").status_code == 302
    before = counted(client, count_queries, "/courses/demo/lessons/doi-tuong")
    for lesson in LESSONS:
        assert post(client, f"/courses/demo/lessons/{lesson}/complete").status_code == 302
    _take_quiz(client, "demo", "module-1", correct_answers)
    after = counted(client, count_queries, "/courses/demo/lessons/doi-tuong")
    assert before == after == LESSON_PAGE_QUERIES


def test_course_dashboard_and_attempt_pages_do_not_grow_with_progress(client, trainee,
                                                                       count_queries):
    assert sign_in(client, "hang@example.vn").status_code == 302
    pages = ("/", "/courses/demo", "/courses/demo/quizzes/module-1")
    before = [counted(client, count_queries, url) for url in pages]
    attempt = _take_quiz(client, "demo", "module-1", correct_answers)
    for lesson in LESSONS:
        post(client, f"/courses/demo/lessons/{lesson}/complete")
    review_first = counted(client, count_queries, f"/attempts/{attempt.id}/review")
    second = _take_quiz(client, "demo", "module-1", correct_answers)
    after = [counted(client, count_queries, url) for url in pages]
    assert before == after
    assert counted(client, count_queries, f"/attempts/{second.id}/review") == review_first
