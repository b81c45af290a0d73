"""Review options (domain/review_options.py): what a trainee sees after an attempt, and when."""

from __future__ import annotations

import pytest

from course_app.domain import review_options as rules
from course_app.domain.review_options import ReviewOptionsError, ReviewState

COURSE = {"score": "immediately", "correctness": "immediately",
          "answers": ["after_pass", "after_last_attempt"],
          "explanations": ["after_pass", "after_last_attempt"]}
RETAKING = ReviewState(passed=False, attempts_left=2, cohort_closed=False)


def test_shorthands_keep_their_meaning():
    full, score = rules.parse("full"), rules.parse("score")
    assert all(rules.visible(full, RETAKING).__dict__.values())
    seen = rules.visible(score, RETAKING)
    assert seen.score and not (seen.correctness or seen.answers or seen.explanations)
    assert rules.effective("score", None) == score and rules.effective("full", None) == full


def test_the_key_stays_hidden_while_attempts_remain():
    options = rules.parse(COURSE)
    seen = rules.visible(options, RETAKING)
    assert seen.score and seen.correctness and not seen.answers and not seen.explanations
    assert rules.hides_key_while_retaking(options)
    assert not rules.hides_key_while_retaking(rules.parse("full"))


@pytest.mark.parametrize("state", [
    ReviewState(passed=True, attempts_left=2, cohort_closed=False),
    ReviewState(passed=False, attempts_left=0, cohort_closed=False),
    ReviewState(passed=False, attempts_left=2, cohort_closed=True),
])
def test_the_key_shows_after_passing_the_last_attempt_or_the_cohort_end(state):
    seen = rules.visible(rules.parse(COURSE), state)
    assert seen.answers and seen.explanations


def test_after_the_last_attempt_never_comes_without_a_limit_until_the_cohort_ends():
    options = rules.parse({"answers": "after_last_attempt"})
    assert not rules.visible(options, ReviewState(False, None, False)).answers
    assert rules.visible(options, ReviewState(False, None, True)).answers


def test_after_close_and_never():
    options = rules.parse({"answers": "after_close", "explanations": "never"})
    passed = ReviewState(True, 0, False)
    assert not rules.visible(options, passed).answers
    closed = rules.visible(options, ReviewState(True, 0, True))
    assert closed.answers and not closed.explanations


def test_left_out_aspects_are_shown_immediately():
    assert rules.parse({"answers": "after_pass"})["score"] == ("immediately",)


@pytest.mark.parametrize(("value", "path"), [
    ("sometimes", ()), (3, ()), ({"key": "immediately"}, ("key",)),
    ({"answers": "later"}, ("answers",)), ({"answers": []}, ("answers",)),
    ({"answers": ["never", "after_pass"]}, ("answers",)),
])
def test_bad_settings_say_where(value, path):
    with pytest.raises(ReviewOptionsError) as error:
        rules.parse(value)
    assert error.value.path == path


def test_file_and_storage_forms_round_trip():
    for value in ("full", "score", COURSE, {"answers": "after_close"}):
        options = rules.parse(value)
        review, stored = rules.to_storage(options)
        assert rules.effective(review, stored) == options
        assert rules.parse(rules.to_file(options)) == options
    assert rules.to_storage(rules.parse("score")) == ("score", None)
    assert rules.to_file(rules.parse(COURSE))["answers"] == ["after_pass", "after_last_attempt"]


def test_passed_shown_leaves_out_hidden_passes_and_counts_hidden_results():
    assert rules.passed_shown(3, 4, []) == rules.PassedShown(3, 4, 0)
    assert rules.passed_shown(3, 4, [True, False]) == rules.PassedShown(2, 4, 2)  # a hidden pass
    assert rules.passed_shown(0, 2, [False]) == rules.PassedShown(0, 2, 1)
