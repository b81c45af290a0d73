"""The completion rule with a capstone (domain/completion.py): it counts once graded passing."""

from __future__ import annotations

from course_app.domain.completion import CompletionRule, QuizStatus, evaluate

RULE = CompletionRule()


def status(capstone_grade):
    quizzes = [QuizStatus(1, True, 70.0, 90.0, "module-1"),
               QuizStatus(2, True, 60.0, capstone_grade, "capstone", capstone=True)]
    return evaluate(RULE, [1], [1], quizzes)


def test_not_complete_while_the_capstone_waits_for_grading():
    waiting = status(None)  # a capstone waiting for a trainer has no grade
    assert not waiting.complete and waiting.capstone_assessed is False and waiting.percent < 100


def test_complete_once_graded_passing_and_says_so():
    done = status(75.0)
    assert done.complete and done.capstone_assessed is True


def test_graded_below_the_pass_mark_is_not_complete():
    assert not status(50.0).complete


def test_a_course_without_a_capstone_says_nothing_of_one():
    plain = evaluate(RULE, [1], [1], [QuizStatus(1, True, 70.0, 90.0)])
    assert plain.complete and plain.capstone_assessed is None
