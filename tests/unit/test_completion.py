"""The course completion rule."""

import pytest

from course_app.domain.completion import CompletionRule, CompletionStatus, QuizStatus, evaluate

RULE = CompletionRule()


def quiz(quiz_id, grade, required=True, pass_score=70.0):
    return QuizStatus(quiz_id=quiz_id, required=required, pass_score=pass_score, grade=grade)


def test_everything_done_is_complete():
    status = evaluate(RULE, [1, 2], [1, 2], [quiz(1, 80.0), quiz(2, 100.0)])
    assert status == CompletionStatus(2, 2, 2, 2, 90.0, True, 100)


def test_unread_lesson_blocks_completion():
    status = evaluate(RULE, [1, 2, 3], [1, 2], [quiz(1, 80.0)])
    assert not status.complete
    assert status.percent == 75


def test_failed_or_missing_required_quiz_blocks_completion():
    assert not evaluate(RULE, [1], [1], [quiz(1, 69.0)]).complete
    status = evaluate(RULE, [1], [1], [quiz(1, None)])
    assert not status.complete
    assert status.average is None
    assert status.percent == 50


def test_optional_quizzes_do_not_count():
    status = evaluate(RULE, [1], [1], [quiz(1, None, required=False), quiz(2, 75.0)])
    assert status.complete
    assert status.quizzes_total == 1
    assert status.average == 75.0


def test_read_ids_outside_the_course_are_ignored():
    status = evaluate(RULE, [1, 2], [2, 3, 4, 5], [])
    assert status.lessons_read == 1
    assert not status.complete
    assert status.percent == 50


def test_duplicates_in_ids_count_once():
    status = evaluate(RULE, [1, 1, 2], [1, 1], [])
    assert (status.lessons_total, status.lessons_read) == (2, 1)


def test_empty_course_is_never_complete():
    status = evaluate(RULE, [], [], [quiz(1, 100.0, required=False)])
    assert status.complete is False
    assert status.percent == 0


def test_lessons_only_course():
    assert evaluate(RULE, [1], [1], []).complete


def test_quizzes_only_course():
    assert evaluate(RULE, [], [], [quiz(1, 70.0)]).complete


def test_min_average():
    rule = CompletionRule(min_average=80)
    low = evaluate(rule, [1], [1], [quiz(1, 70.0), quiz(2, 75.0)])
    assert not low.complete
    assert low.percent == 99  # everything passed, average too low: not shown as 100%
    assert evaluate(rule, [1], [1], [quiz(1, 80.0), quiz(2, 80.0)]).complete


def test_min_average_without_required_quizzes_cannot_be_met():
    assert not evaluate(CompletionRule(min_average=50), [1], [1], []).complete


def test_average_of_graded_required_quizzes():
    status = evaluate(RULE, [], [], [quiz(1, 50.0), quiz(2, None), quiz(3, 100.0, required=False)])
    assert status.average == 50.0


def test_percent_rounds_down():
    status = evaluate(RULE, [1, 2, 3], [1], [])
    assert status.percent == 33


@pytest.mark.parametrize("kwargs", [{"lessons": "some"}, {"quizzes": "all"}])
def test_unknown_rule_values(kwargs):
    with pytest.raises(ValueError):
        CompletionRule(**kwargs)
