"""Property tests: any text parses without raising; exported questions read back unchanged."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_app.content.aiken import parse_aiken
from course_app.content.gift import ImportResult, LineError, export_gift, parse_gift

SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")
TYPES = {"single", "multiple", "true_false", "short", "numeric", "matching", "essay"}

# Pieces that matter to GIFT and Aiken, mixed with arbitrary characters.
TOKENS = ["~", "=", "#", "{", "}", ":", "::", "\\", "\\n", "\\:", "\\{", "%50%", "%-100%", "%",
          "[html]", "[markdown]", "->", "-", ">", "\n", "\n\n", "\r\n", "####", "//", "$CATEGORY:",
          "T", "TRUE", "false", "..", "1", "2.5", "-3", "1e999", " ", "\t", "\ue000", "\ue008",
          "_____", "*", "ằ", "Đ", "A) ", "B. ", "ANSWER: ", "ANSWER: A", "\ufeff", "\u2028"]
piece = st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))
source = st.lists(piece, max_size=40).map("".join)


def check_result(result: ImportResult, text: str) -> None:
    assert isinstance(result, ImportResult)
    lines = text.count("\n") + text.count("\r") + 1
    for problem in result.errors + result.warnings:
        assert isinstance(problem, LineError)
        assert 1 <= problem.line <= lines and problem.message
    keys = [question["key"] for question in result.questions]
    assert len(set(keys)) == len(keys)
    for question in result.questions:
        assert KEY.fullmatch(question["key"])
        assert question["type"] in TYPES
        assert isinstance(question["text"], str) and question["text"]


@SETTINGS
@given(source)
def test_gift_never_raises(text: str) -> None:
    check_result(parse_gift(text), text)


@SETTINGS
@given(st.text())
def test_gift_never_raises_on_any_text(text: str) -> None:
    check_result(parse_gift(text), text)


@SETTINGS
@given(source)
def test_aiken_never_raises(text: str) -> None:
    result = parse_aiken(text)
    check_result(result, text)
    assert all(q["type"] == "single" for q in result.questions)


# --- round trip ---------------------------------------------------------------------------------

plain_text = (st.lists(st.one_of(st.sampled_from(TOKENS),
                                 st.text(st.characters(blacklist_characters="\r"), max_size=6)),
                       min_size=1, max_size=6)
              .map(lambda parts: "".join(parts).replace("\r", "").strip())
              .filter(bool))
no_arrow = plain_text.filter(lambda text: "->" not in text)
maybe_text = st.one_of(st.none(), plain_text)
number = st.one_of(st.integers(-10**6, 10**6),
                   st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False))
credit = st.one_of(st.integers(0, 99), st.floats(0, 99.5))


def drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in entry.items() if value is not None}


@st.composite
def single(draw: st.DrawFn) -> dict[str, Any]:
    texts = draw(st.lists(plain_text, min_size=2, max_size=5))
    right = draw(st.integers(0, len(texts) - 1))
    return {"type": "single", "choices": [
        drop_none({"key": chr(97 + i), "text": text, "correct": i == right,
                   "feedback": draw(maybe_text)}) for i, text in enumerate(texts)]}


@st.composite
def multiple(draw: st.DrawFn) -> dict[str, Any]:
    flags = draw(st.lists(st.booleans(), min_size=2, max_size=5).filter(any))
    share = 100 / sum(flags)
    choices = []
    for index, correct in enumerate(flags):
        weight = share if correct else draw(st.one_of(st.integers(-100, 0), st.floats(-100, 0)))
        choices.append(drop_none({"key": chr(97 + index), "text": draw(plain_text),
                                  "correct": correct, "weight": weight,
                                  "feedback": draw(maybe_text)}))
    return {"type": "multiple", "choices": choices}


@st.composite
def true_false(draw: st.DrawFn) -> dict[str, Any]:
    return drop_none({"type": "true_false", "answer": draw(st.booleans()),
                      "feedback_true": draw(maybe_text), "feedback_false": draw(maybe_text)})


@st.composite
def short(draw: st.DrawFn) -> dict[str, Any]:
    texts = draw(st.lists(no_arrow, min_size=1, max_size=4))
    answers = [drop_none({"text": text, "credit": draw(st.none() | credit) if i else None,
                          "feedback": draw(st.none() | no_arrow)})
               for i, text in enumerate(texts)]
    return {"type": "short", "answers": answers}


@st.composite
def numeric_answer(draw: st.DrawFn, first: bool) -> dict[str, Any]:
    extra = {"credit": None if first else draw(st.none() | credit), "feedback": draw(maybe_text)}
    if draw(st.booleans()):
        low, high = sorted([draw(number), draw(number)])
        return drop_none({"min": low, "max": high, **extra})
    tolerance = draw(st.none() | st.floats(0, 1e6) | st.integers(0, 100))
    return drop_none({"value": draw(number), "tolerance": tolerance, **extra})


@st.composite
def numeric(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"type": "numeric", "answer": draw(number),
                "tolerance": draw(st.floats(0, 1e6) | st.integers(0, 100))}
    count = draw(st.integers(1, 3))
    return {"type": "numeric",
            "answers": [draw(numeric_answer(first=i == 0)) for i in range(count)]}


@st.composite
def matching(draw: st.DrawFn) -> dict[str, Any]:
    prompts = draw(st.lists(no_arrow, min_size=2, max_size=4))
    pairs = [{"key": f"p{i + 1}", "prompt": prompt, "answer": draw(plain_text)}
             for i, prompt in enumerate(prompts)]
    distractors = draw(st.lists(plain_text, max_size=2))
    return {"type": "matching", "pairs": pairs, **({"distractors": distractors}
                                                     if distractors else {})}


essay = st.just({"type": "essay"})


@st.composite
def questions(draw: st.DrawFn) -> list[dict[str, Any]]:
    kinds = draw(st.lists(st.one_of(single(), multiple(), true_false(), short(), numeric(),
                                    matching(), essay), min_size=1, max_size=4))
    keys = draw(st.lists(st.from_regex(KEY, fullmatch=True), min_size=len(kinds),
                         max_size=len(kinds), unique=True))
    result = []
    for key, fields in zip(keys, kinds, strict=True):
        question = {"key": key, "type": fields["type"], "text": draw(plain_text), "points": 1,
                    **fields}
        result.append(drop_none({**question, "explanation": draw(maybe_text)}))
    return result


@SETTINGS
@given(questions())
def test_export_then_parse_gives_the_questions_back(qs: list[dict[str, Any]]) -> None:
    text = export_gift(qs)
    result = parse_gift(text)
    assert result.errors == []
    assert result.questions == qs
