"""The attempt clock and the quiz and certificate rules, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from course_app.domain import attempt_clock as clock
from course_app.domain import certification, quiz_rules

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_deadline_and_grace():
    deadline = clock.deadline(START, 30)
    assert deadline == START + timedelta(minutes=30)
    assert clock.deadline(START, None) is None and clock.deadline(START, 0) is None
    assert clock.closes_at(deadline, 60) == deadline + timedelta(seconds=60)
    assert not clock.is_over(deadline, deadline + timedelta(seconds=60), 60)  # the grace's end
    assert clock.is_over(deadline, deadline + timedelta(seconds=61), 60)
    assert not clock.is_over(None, START + timedelta(days=365), 60)  # no limit, never over
    assert clock.overdue_since(deadline + timedelta(seconds=61), 60) > deadline


def test_seconds_left_never_below_zero():
    deadline = clock.deadline(START, 30)
    assert clock.seconds_left(deadline, START) == 1800
    assert clock.seconds_left(deadline, START + timedelta(minutes=31)) == 0
    assert clock.seconds_left(None, START) is None


def test_study_minutes_are_capped_by_the_limit():
    assert clock.minutes_spent(START, START + timedelta(minutes=45), 30) == 30
    assert clock.minutes_spent(START, START + timedelta(minutes=10), 30) == 10
    assert clock.minutes_spent(START, START + timedelta(hours=9), None) == \
        clock.MAX_UNTIMED_MINUTES
    assert clock.minutes_spent(START, START - timedelta(minutes=1), 30) == 0


def test_a_required_quiz_holds_no_essay():
    assert quiz_rules.allows(required=False, holds_essay=True)
    assert not quiz_rules.allows(required=True, holds_essay=True)
    assert quiz_rules.may_be_required(["single", "numeric"])
    assert not quiz_rules.may_be_required(["single", "essay"])
    assert quiz_rules.may_hold_in(False, "essay") and not quiz_rules.may_hold_in(True, "essay")
    assert quiz_rules.essays_in([("a", "single"), ("b", "essay")]) == ["b"]


def test_when_a_quiz_is_open():
    assert quiz_rules.attempts_left(None, 9) is None
    assert quiz_rules.attempts_left(3, 5) == 0
    assert quiz_rules.is_open(False, 3, 2) and not quiz_rules.is_open(False, 3, 3)
    assert quiz_rules.is_open(False, None, 100) and not quiz_rules.is_open(True, None, 0)


def test_a_certificate_is_issued_once_to_trainees_when_the_rule_holds():
    assert certification.should_issue(is_trainee=True, already_issued=False, rule_holds=True)
    assert not certification.should_issue(is_trainee=False, already_issued=False,
                                          rule_holds=True)
    assert not certification.should_issue(is_trainee=True, already_issued=True,
                                          rule_holds=True)
    assert not certification.should_issue(is_trainee=True, already_issued=False,
                                          rule_holds=False)
    assert certification.may_be_complete(3, 3, False)
    assert not certification.may_be_complete(3, 2, False)
    assert not certification.may_be_complete(3, 3, True)
