"""Trainee pages run a fixed number of queries, whatever the trainee has done: counted on a
fresh trainee and again after lessons read and quizzes taken."""

from __future__ import annotations

from tests.helpers import post, sign_in
from tests.web.test_journey import _take_quiz, correct_answers

LESSONS = ("tong-quan", "doi-tuong", "ke-hoach")
# The user; then one query for the course's id, the content generation, the enrolment, the
# lessons read and the attempts (progress.course_page). The course row, the outline and the
# lesson come from the per-process cache (progress/outline_cache.py) ...
LESSON_PAGE_QUERIES = 2
# ... which the first page after a content change fills: course, lesson, modules, lessons,
# quizzes.
COLD_LESSON_PAGE_QUERIES = LESSON_PAGE_QUERIES + 5
# The course page adds one query for the trainee's deadlines (cohort dates, quiz windows and
# overrides of every quiz at once: schedule/dates.py), whatever the number of quizzes.
COURSE_PAGE_QUERIES = LESSON_PAGE_QUERIES + 1


def counted(client, count_queries, url: str) -> int:
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lesson_page_runs_two_queries_before_and_after_progress(client, trainee,
                                                                 count_queries):
    assert sign_in(client, "hang@example.vn").status_code == 302
    cold = counted(client, count_queries, "/courses/demo/lessons/doi-tuong")
    before = counted(client, count_queries, "/courses/demo/lessons/doi-tuong")
    for lesson in LESSONS:
        assert post(client, f"/courses/demo/lessons/{lesson}/complete").status_code == 302
    _take_quiz(client, "demo", "module-1", correct_answers)
    after = counted(client, count_queries, "/courses/demo/lessons/doi-tuong")
    assert before == after == LESSON_PAGE_QUERIES
    assert cold == COLD_LESSON_PAGE_QUERIES


def test_course_dashboard_and_attempt_pages_do_not_grow_with_progress(client, trainee,
                                                                       count_queries):
    assert sign_in(client, "hang@example.vn").status_code == 302
    pages = ("/", "/courses/demo", "/courses/demo/quizzes/module-1")
    for url in pages:  # the first page after the content load fills the outline cache
        client.get(url)
    before = [counted(client, count_queries, url) for url in pages]
    attempt = _take_quiz(client, "demo", "module-1", correct_answers)
    for lesson in LESSONS:
        post(client, f"/courses/demo/lessons/{lesson}/complete")
    review_first = counted(client, count_queries, f"/attempts/{attempt.id}/review")
    second = _take_quiz(client, "demo", "module-1", correct_answers)
    after = [counted(client, count_queries, url) for url in pages]
    assert before == after
    assert after[1] == COURSE_PAGE_QUERIES  # the course page: the lesson page's two + deadlines
    assert counted(client, count_queries, f"/attempts/{second.id}/review") == review_first
