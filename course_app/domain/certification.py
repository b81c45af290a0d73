"""When a certificate is issued automatically. Pure: the certificates service gathers the facts
and asks here; every path that may complete a course (a lesson read, an attempt closed, a
regrade, an essay graded) ends in that one service call.

A certificate is issued to a trainee, once per course, the moment the completion rule
(domain/completion.py) holds. Nothing automatic ever withdraws one: a lesson published later,
a regrade or a changed rule leave an issued certificate as it is (revocation is a trainer's
audited decision)."""

from __future__ import annotations


def may_be_complete(lessons_total: int, lessons_read: int, already_issued: bool) -> bool:
    """The cheap test before the full rule: every rule needs every lesson read, and a
    certificate is issued once."""
    return lessons_read >= lessons_total and not already_issued


def should_issue(is_trainee: bool, already_issued: bool, rule_holds: bool) -> bool:
    """Issue now? Only to trainees, only once, only when the completion rule holds."""
    return is_trainee and not already_issued and rule_holds
