"""The xAPI statements as pure functions: verbs, scaled scores in range, stable ids."""

from __future__ import annotations

from datetime import UTC, datetime

from course_app.domain import xapi

WHO = xapi.actor("https://khoahoc.example.vn", "abc123")
PLACE = xapi.Place("https://khoahoc.example.vn", "demo", {"vi": "Khóa học", "en": "Course"},
                   "lop-1", "Lớp 1")
WHEN = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_graded_attempt_gives_completed_and_passed_or_failed():
    passed = xapi.attempt_graded(WHO, PLACE, "final", {"vi": "Cuối"}, 7, WHEN, True, 9, 10, 90,
                                 70)
    assert [s["verb"]["id"] for s in passed] == [xapi.VERBS["completed"], xapi.VERBS["passed"]]
    assert passed[1]["result"] == {"success": True, "completion": True,
                                   "score": {"scaled": 0.9, "raw": 9, "min": 0, "max": 10}}
    failed = xapi.attempt_graded(WHO, PLACE, "final", {"vi": "Cuối"}, 7, WHEN, True, 1, 10, 10,
                                 70)
    assert failed[1]["verb"]["id"] == xapi.VERBS["failed"]
    waiting = xapi.attempt_graded(WHO, PLACE, "final", {}, 7, WHEN, False, None, None, None, 70)
    assert len(waiting) == 1 and "score" not in waiting[0]["result"]


def test_scaled_score_stays_within_the_range():
    assert xapi.score(12, 10, 120)["scaled"] == 1.0
    assert xapi.score(-1, 10, -5)["scaled"] == 0.0
    assert xapi.score(None, None, None) == {}


def test_ids_are_stable_and_the_context_names_course_and_cohort():
    one = xapi.lesson_experienced(WHO, PLACE, "tong-quan", {"vi": "Tổng quan"}, WHEN)
    assert one == xapi.lesson_experienced(WHO, PLACE, "tong-quan", {"vi": "Tổng quan"}, WHEN)
    assert one["timestamp"] == "2026-12-07T08:00:00Z"
    assert one["object"]["definition"]["name"] == {"vi-VN": "Tổng quan"}
    activities = one["context"]["contextActivities"]
    assert activities["parent"][0]["id"] == "https://khoahoc.example.vn/courses/demo"
    assert activities["grouping"][0]["id"] == "https://khoahoc.example.vn/cohorts/lop-1"
    earned = xapi.certificate_earned(WHO, PLACE, "ABC", WHEN)
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
