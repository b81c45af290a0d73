"""What a publish changes, counted (domain/change_counts.py): paragraphs between two Markdown
texts, questions between two quiz versions."""

from __future__ import annotations

from course_app.domain.change_counts import (
    Counts,
    paragraph_changes,
    paragraphs,
    question_changes,
)

BODY = "## Mở đầu\n\nĐoạn một.\n\nĐoạn hai\nnối dòng.\n\n- a\n- b\n\n| A | B |\n| --- | --- |\n"


def test_paragraphs_are_the_blocks_between_blank_lines():
    assert paragraphs(BODY) == ["## Mở đầu", "Đoạn một.", "Đoạn hai nối dòng.", "- a - b",
                                "| A | B | | --- | --- |"]
    assert paragraphs("") == [] and paragraphs(None) == []
    assert paragraphs("Một.\r\n\r\n  \r\nHai.") == ["Một.", "Hai."]
    fenced = "Trước.\n\n```\nmã\n\nvẫn là mã\n```\n\nSau."
    assert len(paragraphs(fenced)) == 3


def test_spacing_alone_changes_nothing():
    assert paragraph_changes(BODY, BODY.replace("Đoạn một.", "Đoạn   một.") + "\n\n") == Counts()
    assert not paragraph_changes(BODY, BODY)


def test_changed_added_and_removed_paragraphs_are_counted():
    three = BODY.replace("Đoạn một.", "Đoạn 1.").replace("nối dòng", "nối").replace("- b", "- c")
    assert paragraph_changes(BODY, three) == Counts(changed=3)
    assert paragraph_changes(BODY, BODY + "\n\nĐoạn mới.\n\nĐoạn nữa.") == Counts(added=2)
    assert paragraph_changes(BODY, BODY.replace("Đoạn một.\n\n", "")) == Counts(removed=1)
    assert paragraph_changes(None, "Một.\n\nHai.") == Counts(added=2)
    assert paragraph_changes("Một.\n\nHai.", "Một đã sửa.\n\nHai.\n\nBa.") == \
        Counts(changed=1, added=1)
    # One paragraph split into two: one changed, one added.
    assert paragraph_changes("A b. C d.", "A b.\n\nC d.") == Counts(changed=1, added=1)


def test_questions_added_removed_and_changed_by_key():
    before = {"q1": {"text": "Một?"}, "q2": {"text": "Hai?"}, "q3": {"text": "Ba?"}}
    after = {"q1": {"text": "Một?"}, "q2": {"text": "Hai (sửa)?"}, "q4": {"text": "Bốn?"},
             "q5": {"text": "Năm?"}}
    assert question_changes(before, after) == Counts(changed=1, added=2, removed=1)
    assert question_changes({}, {"q1": {}}) == Counts(added=1)
    assert not question_changes(before, dict(before))
