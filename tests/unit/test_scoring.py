"""Attempt scores and Moodle grading methods."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_app.domain.scoring import (
    GRADING_METHODS,
    AttemptScore,
    QuestionResult,
    is_passed,
    quiz_grade,
    score_attempt,
)


def test_score_attempt_sums_points():
    score = score_attempt([QuestionResult(1, 1.0, False), QuestionResult(2, 0.5, False),
                           QuestionResult(3, 0.0, False)])
    assert score == AttemptScore(raw=2.0, max=6.0, percent=33.33, needs_grading=False)


def test_score_attempt_rounds_percent_to_two_decimals():
    assert score_attempt([QuestionResult(3, 2 / 3, False)]).percent == 66.67
    assert score_attempt([QuestionResult(1, 0.1, False), QuestionResult(1, 0.2, False)]).raw == 0.3


def test_score_attempt_clamps_fractions():
    score = score_attempt([QuestionResult(1, 1.5, False), QuestionResult(1, -0.5, False)])
    assert score.raw == 1.0
    assert score.percent == 50.0


def test_score_attempt_with_manual_question():
    score = score_attempt([QuestionResult(1, 1.0, False), QuestionResult(4, 0.0, True)])
    assert score.needs_grading is True
    assert score.percent == 20.0
    assert score.status == "needs_grading"


def test_a_score_without_manual_questions_closes_the_attempt_as_finished():
    assert score_attempt([QuestionResult(2, 0.5, False)]).status == "finished"
    assert score_attempt([]).status == "finished"


def test_score_attempt_empty_and_zero_points():
    assert score_attempt([]) == AttemptScore(0.0, 0.0, 0.0, False)
    assert score_attempt([QuestionResult(0, 1.0, False)]).percent == 0.0


def test_full_marks_is_exactly_100():
    results = [QuestionResult(1 / 3, 1.0, False) for _ in range(3)]
    assert score_attempt(results).percent == 100.0


def test_grading_methods():
    assert GRADING_METHODS == ("highest", "average", "first", "last")
    percents = [40.0, 90.0, 65.0]
    assert quiz_grade("highest", percents) == 90.0
    assert quiz_grade("average", percents) == 65.0
    assert quiz_grade("first", percents) == 40.0
    assert quiz_grade("last", percents) == 65.0


def test_average_is_rounded():
    assert quiz_grade("average", [100.0, 0.0, 0.0]) == 33.33
    assert quiz_grade("average", [69.99, 70.01]) == 70.0


@pytest.mark.parametrize("method", GRADING_METHODS)
def test_no_attempts_gives_none(method):
    assert quiz_grade(method, []) is None


def test_unknown_method():
    with pytest.raises(ValueError):
        quiz_grade("best", [1.0])


@pytest.mark.parametrize(
    ("percent", "pass_score", "passed"),
    [(70.0, 70, True), (69.99, 70, False), (100.0, 70, True), (None, 0, False), (0.0, 0, True),
     (quiz_grade("average", [69.99, 70.01]), 70, True)],
)
def test_is_passed(percent, pass_score, passed):
    assert is_passed(percent, pass_score) is passed


@settings(database=None, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(-2, 2), st.booleans()), max_size=20))
def test_attempt_percent_is_within_0_and_100(results):
    score = score_attempt([QuestionResult(p, f, m) for p, f, m in results])
    assert 0.0 <= score.percent <= 100.0
    assert 0.0 <= score.raw <= score.max + 1e-6


@settings(database=None, deadline=None)
@given(st.sampled_from(("highest", "average", "first", "last")),
       st.lists(st.floats(0, 100), min_size=1, max_size=10))
def test_quiz_grade_is_one_of_or_between_the_attempts(method, percents):
    grade = quiz_grade(method, percents)
    assert min(percents) - 0.01 <= grade <= max(percents) + 0.01
