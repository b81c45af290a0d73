"""The answer inputs of every question type (templates/quiz/_widgets.html): the response is
filled in, every value is escaped, and the labels follow the reader's language."""

from __future__ import annotations

import re

import pytest
from flask import current_app
from flask_babel import force_locale

from course_app.quiz.attempt_pages import ShownQuestion

HOSTILE = '"><script>alert(1)</script>'
CHOICES = {"choices": [{"key": "a", "text": {"vi": "Có *đúng*", "en": "Yes"}},
                       {"key": "b", "text": {"vi": HOSTILE, "en": HOSTILE}}]}
ITEMS = {"items": [{"key": "x", "text": {"vi": "Mục X", "en": "Item X"}},
                   {"key": "y", "text": {"vi": "Mục Y", "en": "Item Y"}}],
         "options": [{"key": "o1", "text": {"vi": "Lựa chọn 1", "en": "Option 1"}},
                     {"key": "o2", "text": {"vi": HOSTILE, "en": HOSTILE}}]}
SHOWN = {"single": CHOICES, "true_false": CHOICES, "multiple": CHOICES, "short": {},
         "numeric": {}, "essay": {"min_words": 10, "max_words": None}, "matching": ITEMS,
         "ordering": {"items": ITEMS["items"]}}


def shown(kind: str, response=None, error=None) -> ShownQuestion:
    return ShownQuestion(3, "k1", kind, {"vi": "Câu **hỏi**", "en": "A **question**"}, 2.5,
                         SHOWN[kind], response, error)


def _macros():
    return current_app.jinja_env.get_template("quiz/_widgets.html").module


def question_input(q, disabled=False):
    return _macros().question_input(q, disabled)


def attempt_question(q):
    return _macros().attempt_question(q)


@pytest.fixture
def page(app):
    with app.test_request_context("/"):
        yield


def test_every_question_type_has_inputs(page):
    for kind in SHOWN:
        html = str(question_input(shown(kind)))
        # An unanswered ordering question posts nothing until an item is moved.
        assert ('name="q-k1' in html) != (kind == "ordering"), kind
        assert "<script>" not in html, kind


def test_choices_show_the_response_and_escape_their_text(page):
    single = str(question_input(shown("single", "b")))
    assert re.search(r'value="b" checked>', single) and 'value="a">' in single
    assert "<em>đúng</em>" in single  # inline Markdown
    assert "&lt;script&gt;" in single or "script" not in single
    several = str(question_input(shown("multiple", ["a", "b"]), disabled=True))
    assert several.count(" checked disabled>") == 2 and 'type="checkbox"' in several


def test_text_answers_are_escaped_back_into_the_form(page):
    html = str(question_input(shown("short", HOSTILE)))
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    essay = str(question_input(shown("essay", "</textarea><b>x</b>")))
    assert "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>" in essay
    assert "10" in essay and "∞" in essay  # the length hint
    numeric = str(question_input(shown("numeric", "3,5")))
    assert 'inputmode="decimal" aria-describedby="q-k1-hint"' in numeric
    assert 'value="3,5"' in numeric


def test_matching_options_are_radios_that_wrap_and_ordering_moves_items(page):
    matching = str(question_input(shown("matching", {"x": "o2"})))
    assert "<select" not in matching and matching.count('type="radio"') == 4
    assert re.search(r'name="q-k1-x" value="o2" checked>', matching)
    assert not re.search(r'name="q-k1-y" value="[^"]+" checked', matching)
    assert "&lt;script&gt;" in matching
    ordering = str(question_input(shown("ordering", {"x": 2, "y": 1})))
    assert "<select" not in ordering
    assert ordering.index("Mục Y") < ordering.index("Mục X")  # the trainee's order
    assert 'name="q-k1-y" value="1"' in ordering and 'name="q-k1-x" value="2"' in ordering
    assert 'name="move" value="k1:y:down"' in ordering and 'value="k1:x:up"' in ordering
    assert re.search(r'value="k1:y:up"[^>]*disabled', ordering)  # the first cannot go up
    unanswered = str(question_input(shown("ordering")))
    assert 'name="q-k1-' not in unanswered and 'value="k1:-:keep"' in unanswered


def test_the_attempt_item_shows_heading_points_text_and_error(page):
    html = str(attempt_question(shown("single", error="unknown_choice")))
    assert 'class="question has-error" id="question-k1"' in html
    assert 'aria-describedby="question-k1-text question-k1-error"' in html
    assert "Câu 3" in html and "2,5" in html and "<strong>hỏi</strong>" in html
    assert 'class="field-error" id="question-k1-error"' in html
    with force_locale("en"):
        english = str(attempt_question(shown("multiple")))
    assert "Question 3" in english and "2.5" in english and "A <strong>question</strong>" in english
    assert "Choose every correct answer." in english and "has-error" not in english
