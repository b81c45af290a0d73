"""The benchmark's arithmetic and reporting: ratios to hello-world, verdicts against the goals
of issue 10, the table, the replayable request lines and the docs section."""

from __future__ import annotations

import pytest

from benchmarks.loadgen import Request
from benchmarks.report import END, START, with_section
from benchmarks.results import Measure, apply_ratios, ratio, row, table, verdict


def test_ratio_is_relative_to_hello_world_and_none_without_it() -> None:
    assert ratio(250.0, 1000.0) == 0.25
    assert ratio(1.0, 3.0) == 0.3333
    assert ratio(10.0, 0.0) is None


def test_apply_ratios_uses_the_hello_row_and_skips_the_burst() -> None:
    measures = [Measure("hello", "hello", rps=2000.0), Measure("lesson", "lesson", rps=500.0),
                Measure("burst", "burst", rps=100.0)]
    apply_ratios(measures)
    assert [m.ratio for m in measures] == [1.0, 0.25, None]


@pytest.mark.parametrize(("scenario", "value", "expected"), [
    ("lesson", 0.40, "goal met"), ("lesson", 0.20, "floor met"), ("lesson", 0.05, "BELOW FLOOR"),
    ("dashboard", 0.015, "floor met"), ("submit", 0.10, "goal met"),
])
def test_ratio_verdicts_follow_the_issue_goals(scenario: str, value: float,
                                               expected: str) -> None:
    assert verdict(Measure(scenario, scenario, ratio=value)) == expected


def test_pdf_is_judged_on_cpu_milliseconds_and_unknown_scenarios_have_no_goal() -> None:
    assert verdict(Measure("pdf", "pdf", cpu_ms=45.0)) == "goal met"
    assert verdict(Measure("pdf", "pdf", cpu_ms=149.0)) == "floor met"
    assert verdict(Measure("pdf", "pdf", cpu_ms=151.0)) == "BELOW FLOOR"
    assert verdict(Measure("verify", "verify", ratio=0.5)) == ""


def test_the_burst_needs_no_errors_and_every_attempt_graded() -> None:
    fine = Measure("burst", "burst", extra={"last_answer_s": 1.5, "users": 500, "graded": 500})
    lost = Measure("burst", "burst", extra={"last_answer_s": 1.5, "users": 500, "graded": 499})
    failed = Measure("burst", "burst", errors=1,
                     extra={"last_answer_s": 1.0, "users": 500, "graded": 500})
    slow = Measure("burst", "burst", extra={"last_answer_s": 3.0, "users": 500, "graded": 500})
    assert [verdict(m) for m in (fine, lost, failed, slow)] == [
        "goal met", "BELOW FLOOR", "BELOW FLOOR", "floor met"]


def test_table_aligns_columns_and_marks_missing_scenarios() -> None:
    rows = [row("sqlite", Measure("lesson", "lesson page", rps=1234.5, p50_ms=3.25, p95_ms=9.0,
                                  cpu_ms=1.5, ratio=0.2)),
            row("sqlite", Measure("dashboard", "cohort dashboard", available=False,
                                  note="not available: 404"))]
    text = table(rows).splitlines()
    assert len({len(line) for line in text}) == 1  # every line padded to the same width
    assert "1,234.5" in text[2] and "0.200" in text[2] and "floor met" in text[2]
    assert "not available" in text[3] and "not available: 404" in text[3]


def test_request_lines_refuse_what_wrk_could_not_replay() -> None:
    assert Request("POST", "/a", "session=x", "b=1").line() == "POST\t/a\tsession=x\tb=1"
    with pytest.raises(ValueError, match="tabs and newlines"):
        Request("GET", "/a\nb").line()


def test_docs_section_is_replaced_between_markers_only() -> None:
    page = f"# Title\nintro\n{START}\nold\n{END}\noutro\n"
    once = with_section(page, "table 1")
    assert with_section(once, "table 2") == f"# Title\nintro\n{START}\ntable 2\n{END}\noutro\n"
    assert with_section("# Title\n", "t").endswith(f"## Latest run\n\n{START}\nt\n{END}\n")
