"""Fuzzing every importer (SECURITY.md 13, 16): the course package (YAML course, module and quiz
files, Markdown lessons with front matter) through read_package on a temporary folder; GIFT and
Aiken files through the whole import service, bytes in; Markdown rendering. Never an unhandled
exception: either a result or a clear error naming the file and line. (The parsers themselves
are fuzzed in tests/unit/test_gift_fuzz.py; CSV/XLSX rosters in test_fuzz_rosters.py.)"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from course_app.catalog.quiz_import import decode, import_questions
from course_app.content.markdown import ALLOWED_TAGS, render, render_inline, sanitise
from course_app.content.package import read_package
from course_app.database import writing
from course_app.domain.errors import ServiceError
from course_app.extensions import db

from ..conftest import CONTENT

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
# Reading a package costs tens of milliseconds: fewer examples, and a failure is reported as
# found rather than shrunk for minutes (the regression cases below are the readable ones).
PACKAGE_SETTINGS = settings(SETTINGS, max_examples=40,
                            phases=[Phase.explicit, Phase.reuse, Phase.generate])
QUIZ = CONTENT / "quizzes" / "demo" / "module-1.yaml"
COURSE = CONTENT / "lessons" / "demo" / "course.yaml"
LESSON = CONTENT / "lessons" / "demo" / "01-gioi-thieu" / "01-tong-quan.md"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["", "single", "essay", "vi", "en", "a", "q1", "all",
                                     "<script>alert(1)</script>", "../../etc/passwd", "=1+1",
                                     "1e999", "-1", "0", "ằ" * 300]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["key", "type", "text", "choices", "correct", "points", "vi", "en", "answers",
         "pairs", "items", "answer", "tolerance"]), inner, max_size=4)), max_leaves=12)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _replace(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    data[path[0]] = _replace(data[path[0]], path[1:], value)
    return data


@st.composite
def mutated(draw: st.DrawFn, source: Path) -> str:
    """The fixture file with some of its values replaced by arbitrary data."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        data = _replace(copy.deepcopy(data), path, draw(values))
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return "{}"


raw_text = st.one_of(st.text(max_size=200), st.sampled_from([
    "", "---", "---\n---\n", ": : :", "- [", "{a: 1", "a: !!python/object:os.system x",
    "&a [*a, *a]", "a: &a\n  b: *a", "\ufeff", "\x00", "key: |\n  \x85", "? [a]\n: b",
    "---\ntitle: [\n---\nbody",
]))


def _check(root: Path) -> None:
    courses, problems = read_package(root)
    for problem in problems:
        assert problem.file and problem.message and problem.line >= 1, problem
    if any(not p.warning for p in problems):
        return
    assert courses  # no error: then the course was read


MINIMAL = ("lessons/demo/course.yaml", "lessons/demo/01-gioi-thieu/module.yaml",
           "lessons/demo/01-gioi-thieu/01-tong-quan.md", "lessons/demo/media/chu-trinh.svg",
           "quizzes/demo/module-1.yaml")


@pytest.fixture(scope="module")
def package() -> Iterator[Path]:
    """A one-module, one-lesson, one-quiz copy of the fixture package, read in a few ms."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-package-"))
    for relative in MINIMAL:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONTENT / relative, root / relative)
    _check(root)  # the unchanged copy is a valid package
    yield root
    shutil.rmtree(root)


def _run(root: Path, **replaced: str) -> None:
    for relative, text in replaced.items():
        (root / relative).write_text(text, encoding="utf-8")
    try:
        _check(root)
    finally:
        for relative in replaced:
            shutil.copyfile(CONTENT / relative, root / relative)


@PACKAGE_SETTINGS
@given(text=st.one_of(mutated(QUIZ), raw_text))
def test_quiz_files_never_crash_the_reader(package: Path, text: str):
    _run(package, **{"quizzes/demo/module-1.yaml": text})


@PACKAGE_SETTINGS
@given(text=st.one_of(mutated(COURSE), raw_text))
def test_course_files_never_crash_the_reader(package: Path, text: str):
    _run(package, **{"lessons/demo/course.yaml": text})


@PACKAGE_SETTINGS
@given(front=st.one_of(mutated(QUIZ), raw_text), body=st.text(max_size=300))
def test_lessons_with_any_front_matter_and_body_never_crash(package: Path, front: str,
                                                           body: str):
    _run(package, **{"lessons/demo/01-gioi-thieu/01-tong-quan.md": f"---\n{front}\n---\n{body}",
                     "lessons/demo/01-gioi-thieu/module.yaml": front})


@pytest.mark.parametrize("relative,text", [
    ("quizzes/demo/module-1.yaml", "&a [*a]"),  # an alias inside itself
    ("lessons/demo/course.yaml", "title: &t {vi: *t}"),
    ("quizzes/demo/module-1.yaml", "title: x\nquestions:\n  - {key: q1, type: [], text: x}"),
    ("quizzes/demo/module-1.yaml", "title: x\nquestions:\n  - {key: q1, type: {a: 1}, text: x}"),
])
def test_known_hostile_files_are_clear_errors(package: Path, relative: str, text: str):
    """Cases the fuzzers found, kept as plain regression tests."""
    _run(package, **{relative: text})


def test_binary_and_oversized_files_are_clear_errors(package: Path):
    quiz, course = package / "quizzes/demo/module-1.yaml", package / "lessons/demo/course.yaml"
    quiz.write_bytes(b"\xff\xfe\x00bad")
    try:
        messages = " ".join(str(p) for p in read_package(package)[1])
        assert "module-1.yaml:1: not UTF-8" in messages
        course.write_bytes(b"title: x\n" + b"#" * (3 * 1024 * 1024))
        messages = " ".join(str(p) for p in read_package(package)[1])
        assert "course.yaml:1: file is larger than" in messages
    finally:
        for relative in ("quizzes/demo/module-1.yaml", "lessons/demo/course.yaml"):
            shutil.copyfile(CONTENT / relative, package / relative)


# --- GIFT and Aiken, bytes in, through the whole import ------------------------------------------

GIFT_PIECES = ["::q1::", "Câu hỏi {", "=đúng", "~sai", "}", "{T}", "{#3:0.5}", "{=a->b =c->d}",
               "// note\n", "$CATEGORY: x\n", "\n\n", "\\{", "{}", "[markdown]", "%50%", "####"]
AIKEN_PIECES = ["Câu hỏi?\n", "A) Một\n", "B. Hai\n", "ANSWER: A\n", "ANSWER: Z\n", "\n"]
gift_bytes = st.one_of(
    st.lists(st.sampled_from(GIFT_PIECES) | st.text(max_size=5), max_size=30)
    .map(lambda parts: "".join(parts).encode()),
    st.binary(max_size=200))
aiken_bytes = st.one_of(
    st.lists(st.sampled_from(AIKEN_PIECES) | st.text(max_size=5), max_size=30)
    .map(lambda parts: "".join(parts).encode()),
    st.binary(max_size=200))


def _import(data: bytes, fmt: str) -> None:
    with writing():
        try:
            report = import_questions("demo", "fuzz-quiz", decode(data), fmt)
        except ServiceError as error:
            assert error.message  # a clear, reportable reason
            db.session.rollback()
            return
        assert report.created or report.updated or report.unchanged
        db.session.rollback()  # each example starts from the same database


@SETTINGS
@given(gift_bytes)
def test_gift_import_never_crashes(loaded, data: bytes):
    _import(data, "gift")


@SETTINGS
@given(aiken_bytes)
def test_aiken_import_never_crashes(loaded, data: bytes):
    _import(data, "aiken")


def test_oversized_and_non_utf8_imports_are_clear_errors(loaded):
    with pytest.raises(ServiceError, match="UTF-8"):
        decode(b"::q::\xff{T}")
    with pytest.raises(ServiceError, match="larger"):
        decode(b"x" * (3 * 1024 * 1024))


# --- Markdown: rendered, then sanitised ----------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil></iframe>",
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>", "<svg onload=alert(1)>", "<object data=x>",
    "<embed src=x>", "<style>body{}</style>", "<form action=//evil><input></form>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "![x](javascript:alert(1))",
    "<div style=\"background:url(javascript:alert(1))\">x</div>", "<base href=//evil/>",
    "<meta http-equiv=refresh content='0;url=//evil'>", "<math><mi xlink:href=javascript:1>",
    "<details open ontoggle=alert(1)>", "<img src=\"//evil.example/x.png\">", "<link rel=import>",
    "[x](vbscript:msgbox(1))", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "[]([x](javascript:alert(1)))",  # found by the fuzz test below: a relative link, harmless
]
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# A URL has a scheme only when it starts with one (WHATWG URL: a letter, then letters, digits,
# "+", "-" or ".", then ":"); "%5Bx%5D(javascript:…)" is a relative path, not a javascript: URL.
SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")


class _Audit(HTMLParser):
    """Collects what a browser would act on: tags, attributes and their URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"attribute {name}")
            if name in ("href", "src", "action", "xlink:href") and value is not None:
                url = "".join(value.split()).lower()
                external_image = tag == "img" and not url.startswith("/") or url.startswith("//")
                if tag == "img" and external_image or (
                        SCHEME.match(url) and not url.startswith(SAFE_SCHEMES)):
                    self.problems.append(f"{name}={value!r}")


def _safe(html: str) -> None:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    assert not audit.problems, (audit.problems, html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_are_neutralised(payload: str):
    for html in (render(payload), render_inline(payload), sanitise(payload),
                 render(f"Text\n\n{payload}\n\n| a |\n|---|\n| {payload} |")):
        _safe(html)


def test_sanitiser_keeps_the_formatting_lessons_need():
    html = render("## Tiêu đề\n\n**đậm** [liên kết](https://example.vn)\n\n| a | b |\n|---|---|\n"
                  "| 1 | 2 |\n\n![ảnh](media/a.png)", media_base="/courses/demo/media")
    for kept in ("<h2>", "<strong>", 'href="https://example.vn"', "<table>",
                 'src="/courses/demo/media/a.png"', 'rel="noopener noreferrer nofollow"'):
        assert kept in html


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(PAYLOADS) | st.text(max_size=20) | st.sampled_from(
    ["\n", "\n\n", "[", "](", ")", "<", ">", "`", "```\n", "|", "---", "*", "&", "#", "\"",
     "'", "="]), max_size=25).map("".join))
def test_markdown_never_crashes_and_stays_safe(source: str):
    _safe(render(source, media_base="/courses/demo/media"))
    _safe(render_inline(source))
