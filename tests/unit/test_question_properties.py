"""Property tests (hypothesis) over every question type: grading is bounded, stable and strict."""

import json
import string
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_app.domain.questions import QUESTION_TYPES, ResponseError, get_type
from course_app.domain.questions.base import RESPONSE_CODES
from course_app.domain.questions.ordering import gives_order_away

SETTINGS = settings(database=None, deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
WORDS = st.text(alphabet=VI + VI.upper() + " \u00a0", min_size=1, max_size=12).filter(str.strip)
KEYS = st.text(alphabet=string.ascii_lowercase + string.digits + "_", min_size=1, max_size=5)
SHOWN_KEYS = {"choices", "items", "options", "key", "text", "vi", "en", "min_words", "max_words"}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=12,
)


def texts(n):
    return st.lists(WORDS, min_size=n, max_size=n,
                    unique_by=lambda t: " ".join(unicodedata.normalize("NFC", t).split()))


@st.composite
def choice_question(draw, multiple):
    n = draw(st.integers(2, 6))
    keys = draw(st.lists(KEYS, min_size=n, max_size=n, unique=True))
    labels = draw(texts(n))
    if multiple:
        right = draw(st.sets(st.integers(0, n - 1), min_size=1))
    else:
        right = {draw(st.integers(0, n - 1))}
    choices = [{"key": k, "text": t, "correct": i in right}
               for i, (k, t) in enumerate(zip(keys, labels, strict=True))]
    raw = {"choices": choices}
    if multiple:
        raw["all_or_nothing"] = draw(st.booleans())
        for choice in choices:
            if not choice["correct"] and not raw["all_or_nothing"] and draw(st.booleans()):
                choice["weight"] = draw(st.integers(-100, 0))
    return raw


@st.composite
def short_question(draw):
    answers = draw(st.lists(WORDS.map(lambda t: t.replace("a", "*")), min_size=1, max_size=4,
                            unique_by=lambda t: " ".join(t.casefold().split())))
    credits = [100] + draw(st.lists(st.integers(0, 100), min_size=len(answers) - 1,
                                    max_size=len(answers) - 1))
    return {"answers": [{"text": a, "credit": c} for a, c in zip(answers, credits, strict=True)],
            "case_sensitive": draw(st.booleans()), "ignore_diacritics": False}


@st.composite
def numeric_question(draw):
    number = st.floats(-1e6, 1e6, allow_nan=False)
    answers = [{"value": draw(number), "tolerance": draw(st.floats(0, 10))}]
    for _ in range(draw(st.integers(0, 2))):
        low, high = sorted((draw(number), draw(number)))
        answers.append({"min": low, "max": high, "credit": draw(st.integers(0, 100))})
    return {"answers": answers}


@st.composite
def matching_question(draw):
    n = draw(st.integers(2, 5))
    keys = draw(st.lists(KEYS, min_size=n, max_size=n, unique=True))
    words = draw(texts(2 * n + 2))
    pairs = [{"key": k, "prompt": words[i], "answer": words[n + i]} for i, k in enumerate(keys)]
    return {"pairs": pairs, "distractors": words[2 * n:2 * n + draw(st.integers(0, 2))]}


@st.composite
def ordering_question(draw):
    n = draw(st.integers(3, 6))
    keys = draw(st.lists(KEYS, min_size=n, max_size=n, unique=True)
                .filter(lambda ks: not gives_order_away(ks)))
    items = [{"key": k, "text": t} for k, t in zip(keys, draw(texts(n)), strict=True)]
    return {"items": items, "partial": draw(st.booleans())}


RAW = {
    "single": choice_question(False),
    "multiple": choice_question(True),
    "true_false": st.builds(lambda a: {"answer": a}, st.booleans()),
    "short": short_question(),
    "numeric": numeric_question(),
    "matching": matching_question(),
    "ordering": ordering_question(),
    "essay": st.builds(lambda r: {"rubric": r}, WORDS),
}


@st.composite
def question(draw, names=tuple(RAW)):
    name = draw(st.sampled_from(names))
    type_data, errors = get_type(name).normalise(draw(RAW[name]))
    assert errors == []
    return name, type_data


def keys_of(name, td):
    if name in ("single", "multiple"):
        return [c["key"] for c in td["choices"]]
    if name == "matching":
        return [i["key"] for i in td["items"]], [o["key"] for o in td["options"]]
    return [i["key"] for i in td["items"]]


@st.composite
def plausible_response(draw, name, td):
    """Responses built from the question's own keys, with the odd stranger mixed in."""
    extra = st.text(max_size=6)
    if name == "single":
        return draw(st.sampled_from(keys_of(name, td)) | extra | st.none())
    if name == "multiple":
        return draw(st.lists(st.sampled_from(keys_of(name, td)) | extra, max_size=8))
    if name == "true_false":
        return draw(st.sampled_from(["true", "false"]) | extra)
    if name in ("short", "essay"):
        return draw(st.text(max_size=30))
    if name == "numeric":
        return draw(st.floats(-2e6, 2e6).map(str) | st.text(max_size=10))
    if name == "matching":
        items, options = keys_of(name, td)
        return draw(st.dictionaries(st.sampled_from(items) | extra,
                                    st.sampled_from(options) | extra, max_size=6))
    items = keys_of(name, td)
    return draw(st.dictionaries(st.sampled_from(items) | extra,
                                st.integers(-1, len(items) + 1), max_size=7))


def walk_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from walk_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk_keys(inner)


@SETTINGS
@given(st.data())
def test_grade_is_within_0_and_1_and_never_raises(data):
    name, td = data.draw(question())
    qtype = get_type(name)
    response = data.draw(plausible_response(name, td) | JSON)
    grade = qtype.grade(td, response)
    assert 0.0 <= grade.fraction <= 1.0
    assert grade.needs_manual is (name == "essay" and isinstance(response, str)
                                  and bool(response.strip()))
    json.dumps(grade.feedback)


@SETTINGS
@given(st.data())
def test_validate_raises_only_response_errors(data):
    name, td = data.draw(question())
    response = data.draw(plausible_response(name, td) | JSON)
    try:
        get_type(name).validate_response(td, response)
    except ResponseError as error:
        assert error.code in RESPONSE_CODES


@SETTINGS
@given(question(("multiple",)), st.data())
def test_order_and_duplicates_never_change_a_multiple_score(question_, data):
    _, td = question_
    keys = [c["key"] for c in td["choices"]]
    chosen = data.draw(st.lists(st.sampled_from(keys), max_size=10))
    shuffled = data.draw(st.permutations(chosen))
    qtype = get_type("multiple")
    assert qtype.grade(td, shuffled) == qtype.grade(td, sorted(set(chosen)))
    qtype.validate_response(td, sorted(set(chosen)))


@SETTINGS
@given(question(("single", "multiple", "matching", "ordering")), st.data())
def test_unknown_keys_are_rejected(question_, data):
    name, td = question_
    known = keys_of(name, td)
    everything = set(known[0]) | set(known[1]) if name == "matching" else set(known)
    stranger = data.draw(st.text(min_size=1, max_size=8).filter(lambda k: k not in everything))
    response = {
        "single": stranger,
        "multiple": [*known[:1], stranger],
        "matching": {stranger: known[1][0]} if name == "matching" else None,
        "ordering": {stranger: 1},
    }[name]
    try:
        get_type(name).validate_response(td, response)
    except ResponseError as error:
        assert error.code in ("unknown_choice", "unknown_item")
    else:
        raise AssertionError(f"{name} accepted the unknown key {stranger!r}")


@SETTINGS
@given(question())
def test_round_trip_and_json(question_):
    name, td = question_
    qtype = get_type(name)
    assert json.loads(json.dumps(td)) == td
    assert qtype.normalise(qtype.to_authoring(td)) == (td, [])


@SETTINGS
@given(question(), st.integers(0, 2**63 - 1), st.booleans())
def test_present_shows_keys_and_texts_only(question_, seed, shuffle):
    name, td = question_
    qtype = get_type(name)
    shown = qtype.present(td, seed, shuffle)
    assert shown == qtype.present(td, seed, shuffle)
    assert set(walk_keys(shown)) <= SHOWN_KEYS
    if name == "ordering":
        assert [i["key"] for i in shown["items"]] != [i["key"] for i in td["items"]]
    if name in ("single", "multiple", "matching", "ordering"):
        assert qtype.grade(td, None).fraction == 0.0


@SETTINGS
@given(question(), st.data())
def test_posted_forms_parse_to_valid_responses(question_, data):
    name, td = question_
    qtype = get_type(name)
    response = data.draw(plausible_response(name, td))
    fields = {"": [response]} if isinstance(response, str) else {}
    if isinstance(response, list):
        fields = {"": response}
    elif isinstance(response, dict):
        fields = {item: [str(value)] for item, value in response.items()}
    parsed = qtype.parse_fields(fields)
    json.dumps(parsed)
    try:
        qtype.validate_response(td, parsed)
    except ResponseError as error:
        assert error.code in RESPONSE_CODES
    assert 0.0 <= qtype.grade(td, parsed).fraction <= 1.0


@SETTINGS
@given(question(("short",)), st.data())
def test_short_answers_ignore_unicode_form_and_spacing(question_, data):
    _, td = question_
    qtype = get_type("short")
    answer = data.draw(st.sampled_from(td["answers"]))["text"].replace("*", "x")
    variants = [unicodedata.normalize("NFD", answer), f"  {answer}\u00a0 ",
                answer.replace(" ", "\t")]
    assert all(qtype.grade(td, v) == qtype.grade(td, answer) for v in variants)


def test_every_type_is_covered():
    assert set(RAW) == set(QUESTION_TYPES)
