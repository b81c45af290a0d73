"""The completion block of course.yaml: every rule key is read, checked with its line, stored
and honoured by the progress shown to the trainee."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course_app.content.package import read_package
from course_app.progress.service import display_rule

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"


def package_with(tmp_path: Path, completion: str) -> Path:
    root = tmp_path / "pkg"
    shutil.copytree(FIXTURE, root)
    course_yaml = root / "lessons" / "demo" / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    start = text.index("completion:")
    end = text.index("\n", start)
    course_yaml.write_text(text[:start] + completion + text[end:], encoding="utf-8")
    return root


def test_full_rule_is_read_and_kept(tmp_path):
    root = package_with(tmp_path, "completion: {lessons: all, quizzes: required, min_average: 60,"
                                  " final_exam: final, min_final_score: 80, min_hours: 1.5}")
    courses, problems = read_package(root)
    assert [p for p in problems if not p.warning] == []
    assert courses[0].completion == {"lessons": "all", "quizzes": "required", "min_average": 60,
                                     "final_exam": "final", "min_final_score": 80,
                                     "min_hours": 1.5}


@pytest.mark.parametrize(("completion", "message"), [
    ("completion: {final_exam: nowhere}", "completion names unknown quiz 'nowhere'"),
    ("completion: {min_final_score: 80}", "'min_final_score' needs 'final_exam'"),
    ("completion: {final_exam: final, min_final_score: 120}",
     "'min_final_score' must be a percentage 0–100"),
    ("completion: {min_hours: -2}", "'min_hours' must be a number of hours >= 0"),
    ("completion: {min_hours: yes}", "'min_hours' must be a number of hours >= 0"),
    ("completion: {final_exam: 7}", "'final_exam' must be the slug of a quiz"),
    ("completion: {max_hours: 3}", "unknown completion field 'max_hours'"),
])
def test_bad_rule_is_reported_with_file_and_line(tmp_path, completion, message):
    _, problems = read_package(package_with(tmp_path, completion))
    found = [p for p in problems if message in p.message]
    assert found, [p.message for p in problems]
    assert found[0].file.endswith("course.yaml")
    assert found[0].line == 5


def test_progress_rule_keeps_final_exam_but_leaves_hours_to_the_certificate():
    class Course:
        completion = {"lessons": "all", "quizzes": "required", "final_exam": "final",
                      "min_final_score": 80, "min_hours": 3}
    rule = display_rule(Course())  # type: ignore[arg-type]
    assert (rule.final_exam, rule.min_final_score, rule.min_hours) == ("final", 80, None)


def test_progress_rule_of_a_broken_stored_rule_is_the_default():
    class Course:
        completion = {"min_average": 500}
    assert display_rule(Course()).min_average is None  # type: ignore[arg-type]
