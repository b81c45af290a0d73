"""The answer inputs of each question type as HTML widgets (see course_app/widget_html.py for
why they are Python and the escaping rule they follow). An attempt page shows 20 questions of up
to a dozen inputs each; as Jinja macros they were half of the page's time. Used by the attempt
page and the author's previews, so authors see exactly the inputs trainees get."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from ..domain.numbers import read_number
from ..domain.questions.essay import count_words
from ..domain.questions.numeric import response_text
from ..i18n import N_, points_label, question_heading, tr
from ..templating import md_html, md_inline_html
from ..widget_html import Html, join_html, label, text
from .answer_errors import answer_error

# Interface texts, outside the f-strings: Babel's extractor does not look inside f-strings.
CHOOSE_ALL = N_("Choose every correct answer.")
NUMBER_HINT = N_("A number, for example 1,000 or 3.5.")
ENTERED = N_("You entered %(number)s.")
WRITTEN = N_("You have written %(count)s words.")
WORD_LIMITS = N_("This answer has %(count)s words; it must have %(min)s to %(max)s words. "
                 "Shorten or complete it, then submit again.")
YOUR_ANSWER = N_("Your answer")
CHOOSE = N_("Choose…")
POSITION_HINT = N_("Give each item its position, from 1 (first).")

SAFE_CALLS = frozenset({
    "text", "md_html", "md_inline_html", "join_html", "label", "_flags", "render", "options",
    "_choice", "_choices", "_numeric_hint", "_numeric_attributes", "_length_text", "_length_hint",
    "_entered", "_typed", "_word_count", "_error_text", "_row", "_table", "_inputs",
    "_error_message"})


def _flags(checked: bool, disabled: bool, word: str = "checked") -> Html:
    return (f" {text(word)}" if checked else "") + (" disabled" if disabled else "")


def _choice(choice: dict[str, Any], response: Any, name: str, disabled: bool,
            kind: str) -> Html:
    key = choice["key"]
    chosen = response == key if kind == "radio" else bool(response) and key in response
    return (f'<li><label><input type="{text(kind)}" name="{text(name)}" '
            f'value="{text(key)}"{_flags(chosen, disabled)}> '
            f'<span>{md_inline_html(tr(choice["text"]))}</span></label></li>')


def _choices(q: Any, name: str, disabled: bool, kind: str) -> Html:
    return (f'<ul class="choices" role="list">'
            f'{join_html(_choice(c, q.response, name, disabled, kind) for c in q.shown["choices"])}'
            "</ul>")


def _single(q: Any, name: str, disabled: bool) -> Html:
    return _choices(q, name, disabled, "radio")


def _multiple(q: Any, name: str, disabled: bool) -> Html:
    return (f'<p class="hint">{label(CHOOSE_ALL)}</p>'
            f'{_choices(q, name, disabled, "checkbox")}')


def _numeric_hint(name: str) -> Html:
    return (f'<p class="hint" id="{text(name)}-hint">'
            f'{label(NUMBER_HINT)}</p>')


def _numeric_attributes(name: str) -> Html:
    return f' inputmode="decimal" aria-describedby="{text(name)}-hint"'


def _typed(response: Any) -> Html:
    return text(response_text(response) if isinstance(response, dict) else (response or ""))


def _entered(response: Any) -> Html:
    """A typed number that the other language reads differently ("1.000"), shown back as it
    was read ("You entered 1 000.")."""
    entered = typed_number(response)["entered"]
    return f'<p class="hint numeric-read">{label(ENTERED, number=entered)}</p>' if entered else ""


def typed_number(response: Any) -> dict[str, str]:
    """For the review: what was typed, and the number as read when it was ambiguous."""
    entered = ""
    if isinstance(response, dict):
        reading = read_number(response_text(response), str(response.get("language") or "vi"))
        entered = reading.shown if reading.ambiguous else ""
    return {"text": response_text(response), "entered": entered}


def _text(q: Any, name: str, disabled: bool) -> Html:
    numeric = q.type == "numeric"
    return (f'<label class="answer-label" for="{text(name)}">{label(YOUR_ANSWER)}'
            f'</label>{_numeric_hint(name) if numeric else ""}<input type="text" '
            f'id="{text(name)}" name="{text(name)}" value="{_typed(q.response)}" '
            f'maxlength="1000" autocomplete="off"{_numeric_attributes(name) if numeric else ""}'
            f'{_flags(False, disabled)}>{_entered(q.response) if numeric else ""}')


def _length_text(low: int | None, high: int | None) -> Html:
    return label(N_("Length: %(min)s to %(max)s words."), min=low or 0, max=high or "∞")


def _length_hint(low: int | None, high: int | None, q: Any) -> Html:
    return f'<p class="hint">{_length_text(low, high)} {_word_count(q)}</p>'


def _word_count(q: Any) -> Html:
    written = q.response if isinstance(q.response, str) else ""
    return label(WRITTEN, count=count_words(written)) if written.strip() else ""


def _essay(q: Any, name: str, disabled: bool) -> Html:
    low, high = q.shown.get("min_words"), q.shown.get("max_words")
    return (f'<label class="answer-label" for="{text(name)}">{label(YOUR_ANSWER)}'
            f'</label><textarea id="{text(name)}" name="{text(name)}" rows="12"'
            f'{_flags(False, disabled)}>{text(q.response or "")}</textarea>'
            f'{_length_hint(low, high, q) if (low or high) else ""}')


def _row(item: dict[str, Any], name: str, disabled: bool, options: Callable[[Any], Html],
         response: dict[str, Any]) -> Html:
    field = f"{name}-{item['key']}"
    return (f'<tr><th scope="row"><label for="{text(field)}">{md_inline_html(tr(item["text"]))}'
            f'</label></th><td><select id="{text(field)}" name="{text(field)}"'
            f'{_flags(False, disabled)}>{options(response.get(item["key"]))}</select></td></tr>')


def _table(q: Any, name: str, disabled: bool, css: str,
           options: Callable[[Any], Html]) -> Html:
    response = q.response if isinstance(q.response, dict) else {}
    rows = q.shown["items"]
    return (f'<table class="table {text(css)}"><tbody>'
            f"{join_html(_row(item, name, disabled, options, response) for item in rows)}"
            "</tbody></table>")


def _matching(q: Any, name: str, disabled: bool) -> Html:
    def options(chosen: Any) -> Html:
        return f'<option value="">{label(CHOOSE)}</option>' + join_html(
            f'<option value="{text(o["key"])}"{_flags(chosen == o["key"], False, "selected")}>'
            f'{text(tr(o["text"]))}</option>' for o in q.shown["options"])

    return _table(q, name, disabled, "matching", options)


def _ordering(q: Any, name: str, disabled: bool) -> Html:
    positions = range(1, len(q.shown["items"]) + 1)

    def options(chosen: Any) -> Html:
        return '<option value="">–</option>' + join_html(
            f'<option value="{text(p)}"{_flags(chosen == p, False, "selected")}>'
            f"{text(p)}</option>" for p in positions)

    return (f'<p class="hint">{label(POSITION_HINT)}</p>'
            f'{_table(q, name, disabled, "ordering", options)}')


RENDERERS: dict[str, Callable[[Any, str, bool], Html]] = {
    "single": _single, "true_false": _single, "multiple": _multiple, "short": _text,
    "numeric": _text, "essay": _essay, "matching": _matching, "ordering": _ordering,
}


def _inputs(q: Any, disabled: bool) -> Html:
    render = RENDERERS.get(q.type)
    return render(q, f"q-{q.key}", disabled) if render else ""


def _error_text(code: str, q: Any) -> Html:
    """The error's message; an essay's length names its limits and its count."""
    if code in ("too_few_words", "too_many_words") and isinstance(q.response, str):
        low, high = q.shown.get("min_words"), q.shown.get("max_words")
        return label(WORD_LIMITS, count=count_words(q.response), min=low or 0, max=high or "∞")
    return text(answer_error(code))


def _error_message(qid: str, code: str, q: Any = None) -> Html:
    return f'<p class="field-error" id="{text(qid)}-error">{_error_text(code, q)}</p>'


def question_input(q: Any, disabled: bool = False) -> Markup:
    """The inputs of one shown question (attempt_pages.ShownQuestion or the like), with the
    trainee's response filled in."""
    return Markup(_inputs(q, disabled))  # noqa: S704 - every value escaped (module docstring)


def attempt_question(q: Any) -> Markup:
    """One question of the attempt page: heading, text, inputs and the error, if any."""
    qid = f"question-{q.key}"
    described = f"{qid}-text {qid}-error" if q.error else f"{qid}-text"
    return Markup(  # noqa: S704 - every value escaped (module docstring)
        f'<li class="question{" has-error" if q.error else ""}" id="{text(qid)}" '
        f'data-question="{text(q.key)}"><fieldset aria-describedby="{text(described)}">'
        f'<legend><span class="question-number">{text(question_heading(q.number))}</span> '
        f'<span class="points">({text(points_label(q.points))})</span></legend>'
        f'<div class="question-text prose" id="{text(qid)}-text">{md_html(tr(q.text))}</div>'
        f'{_inputs(q, False)}{_error_message(qid, q.error, q) if q.error else ""}</fieldset></li>')


def answered_count(questions: Iterable[Any]) -> int:
    """How many shown questions have a response (Jinja's selectattr chain cost more)."""
    return sum(1 for q in questions if q.response)
