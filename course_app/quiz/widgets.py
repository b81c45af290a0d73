"""The answer inputs of each question type as HTML, in the manner of WTForms' widgets: Python
functions that escape every value with markupsafe. An attempt page shows 20 questions of up to
a dozen inputs each; as Jinja macros they were half of the page's time (a context and a
call per label), as functions they are a small part of it. Used by the attempt page and the
author's previews, so authors see exactly the inputs trainees get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from ..i18n import N_, points_label, question_heading, tr, translated
from ..templating import answer_error, md, md_inline

Html = str  # already escaped


def _flags(checked: bool, disabled: bool, word: str = "checked") -> str:
    return (f" {word}" if checked else "") + (" disabled" if disabled else "")


def _choices(q: Any, name: str, disabled: bool, kind: str) -> Html:
    response = q.response
    items = []
    for choice in q.shown["choices"]:
        key = choice["key"]
        chosen = response == key if kind == "radio" else bool(response) and key in response
        items.append(f'<li><label><input type="{kind}" name="{name}" value="{escape(key)}"'
                     f'{_flags(chosen, disabled)}> <span>{md_inline(tr(choice["text"]))}</span>'
                     "</label></li>")
    return f'<ul class="choices" role="list">{"".join(items)}</ul>'


def _single(q: Any, name: str, disabled: bool) -> Html:
    return _choices(q, name, disabled, "radio")


def _multiple(q: Any, name: str, disabled: bool) -> Html:
    hint = translated(N_("Choose every correct answer."))
    return f'<p class="hint">{escape(hint)}</p>' + _choices(q, name, disabled, "checkbox")


def _text(q: Any, name: str, disabled: bool) -> Html:
    label = escape(translated(N_("Your answer")))
    html = f'<label class="answer-label" for="{name}">{label}</label>'
    extra = ""
    if q.type == "numeric":
        hint = escape(translated(N_("A number, for example 12 or 3,5.")))
        html += f'<p class="hint" id="{name}-hint">{hint}</p>'
        extra = f' inputmode="decimal" aria-describedby="{name}-hint"'
    value = escape(q.response or "")
    return html + (f'<input type="text" id="{name}" name="{name}" value="{value}" maxlength="1000"'
                   f' autocomplete="off"{extra}{_flags(False, disabled)}>')


def _essay(q: Any, name: str, disabled: bool) -> Html:
    label = escape(translated(N_("Your answer")))
    html = (f'<label class="answer-label" for="{name}">{label}</label>'
            f'<textarea id="{name}" name="{name}" rows="12"{_flags(False, disabled)}>'
            f"{escape(q.response or '')}</textarea>")
    low, high = q.shown.get("min_words"), q.shown.get("max_words")
    if low or high:
        length = translated(N_("Length: %(min)s to %(max)s words."), min=low or 0,
                            max=high or "∞")
        html += f'<p class="hint">{escape(length)}</p>'
    return html


def _table(q: Any, name: str, disabled: bool, css: str,
           options: Callable[[str, Any], Html]) -> Html:
    rows = []
    response = q.response or {}
    for item in q.shown["items"]:
        field = f"{name}-{escape(item['key'])}"
        chosen = response.get(item["key"]) if isinstance(response, dict) else None
        rows.append(f'<tr><th scope="row"><label for="{field}">{md_inline(tr(item["text"]))}'
                    f'</label></th><td><select id="{field}" name="{field}"'
                    f'{_flags(False, disabled)}>{options(item["key"], chosen)}</select></td></tr>')
    return f'<table class="table {css}"><tbody>{"".join(rows)}</tbody></table>'


def _matching(q: Any, name: str, disabled: bool) -> Html:
    blank = f'<option value="">{escape(translated(N_("Choose…")))}</option>'

    def options(_item: str, chosen: Any) -> Html:
        return blank + "".join(
            f'<option value="{escape(o["key"])}"{_flags(chosen == o["key"], False, "selected")}>'
            f'{escape(tr(o["text"]))}</option>' for o in q.shown["options"])

    return _table(q, name, disabled, "matching", options)


def _ordering(q: Any, name: str, disabled: bool) -> Html:
    hint = escape(translated(N_("Give each item its position, from 1 (first).")))
    count = len(q.shown["items"])

    def options(_item: str, chosen: Any) -> Html:
        return '<option value="">–</option>' + "".join(
            f'<option value="{p}"{_flags(chosen == p, False, "selected")}>{p}</option>'
            for p in range(1, count + 1))

    return f'<p class="hint">{hint}</p>' + _table(q, name, disabled, "ordering", options)


RENDERERS: dict[str, Callable[[Any, str, bool], Html]] = {
    "single": _single, "true_false": _single, "multiple": _multiple, "short": _text,
    "numeric": _text, "essay": _essay, "matching": _matching, "ordering": _ordering,
}


def question_input(q: Any, disabled: bool = False) -> Markup:
    """The inputs of one shown question (attempt_pages.ShownQuestion or the like), with the
    trainee's response filled in."""
    render = RENDERERS.get(q.type)
    name = f"q-{escape(q.key)}"
    return Markup(render(q, name, disabled) if render else "")  # noqa: S704 - escaped above


def attempt_question(q: Any) -> Markup:
    """One question of the attempt page: heading, text, inputs and the error, if any."""
    qid = f"question-{escape(q.key)}"
    described = f"{qid}-text" + (f" {qid}-error" if q.error else "")
    heading = escape(question_heading(q.number))
    error = (f'<p class="field-error" id="{qid}-error">{escape(answer_error(q.error))}</p>'
             if q.error else "")
    return Markup(  # noqa: S704 - every value is escaped or sanitised Markdown
        f'<li class="question{" has-error" if q.error else ""}" id="{qid}" '
        f'data-question="{escape(q.key)}"><fieldset aria-describedby="{described}">'
        f'<legend><span class="question-number">{heading}</span> '
        f'<span class="points">({escape(points_label(q.points))})</span></legend>'
        f'<div class="question-text prose" id="{qid}-text">{md(tr(q.text))}</div>'
        f"{question_input(q)}{error}</fieldset></li>")
