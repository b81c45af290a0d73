"""A readable summary of what a publish changes for trainees ("Lesson 2.3 “Tổng quan”: 3
paragraphs changed; Quiz “Kiểm tra 2”: 1 question added"), shown before publishing on the
editors and on the changes page. The counting is domain/change_counts.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..domain.change_counts import Counts, paragraph_changes, question_changes
from ..i18n import tr
from ..models import Course
from .publish import Pending, selected

OWN_FIELDS = {"lesson": ("title", "body", "objectives"), "quiz": ("title",),
              "module": ("title",), "course": ("title",)}


def _counts(counts: Counts, what: str) -> list[str]:
    words = {
        "paragraph": (ngettext("%(num)s paragraph changed", "%(num)s paragraphs changed",
                               counts.changed),
                      ngettext("%(num)s paragraph added", "%(num)s paragraphs added", counts.added),
                      ngettext("%(num)s paragraph removed", "%(num)s paragraphs removed",
                               counts.removed)),
        "question": (ngettext("%(num)s question changed", "%(num)s questions changed",
                              counts.changed),
                     ngettext("%(num)s question added", "%(num)s questions added", counts.added),
                     ngettext("%(num)s question removed", "%(num)s questions removed",
                              counts.removed)),
    }[what]
    return [text for text, n in zip(words, (counts.changed, counts.added, counts.removed),
                                    strict=True) if n]


def _label(item: Pending) -> str:
    title = tr((item.after or {}).get("title") or {}) or getattr(item.row, "slug", "")
    if item.kind == "lesson":
        module = item.parent
        number = f"{module.position}.{item.row.position}" if module else str(item.row.position)
        return _("Lesson %(number)s “%(title)s”", number=number, title=title)
    if item.kind == "module":
        return _("Module %(number)s “%(title)s”", number=item.row.position, title=title)
    if item.kind == "quiz":
        return _("Quiz “%(title)s”", title=title)
    return _("The course “%(title)s”", title=title)


def _body(before: dict[str, Any], after: dict[str, Any], lang: str) -> Counts:
    return paragraph_changes((before.get("body") or {}).get(lang),
                             (after.get("body") or {}).get(lang))


def _parts(item: Pending) -> list[str]:
    before, after = item.before or {}, item.after or {}
    paths = [change.path for change in item.changes]
    parts: list[str] = []
    if item.kind == "lesson":
        parts += _counts(_body(before, after, "vi"), "paragraph")
        english = _body(before, after, "en")
        if english:
            parts.append(_("English text: %(changes)s",
                           changes=", ".join(_counts(english, "paragraph"))))
        if any(p.startswith("objectives") for p in paths):
            parts.append(_("learning objectives changed"))
    if item.status == "draft" and any(p.startswith("title") for p in paths):
        parts.append(_("title changed"))
    own = OWN_FIELDS.get(item.kind, ())
    others = len({p.split(".")[0] for p in paths if p.split(".")[0] not in own})
    if others and item.status == "draft":
        parts.append(ngettext("%(num)s setting changed", "%(num)s settings changed", others))
    return parts


def lines(items: Iterable[Pending]) -> list[str]:
    """One sentence per course, module, lesson or quiz that changes; a quiz's questions are
    counted on the quiz's line."""
    items = list(items)
    questions: dict[int, list[Pending]] = {}
    for item in items:
        if item.kind == "question":
            questions.setdefault(item.parent.id, []).append(item)
    found = []
    for item in items:
        if item.kind == "question":
            continue
        parts = _parts(item)
        if item.kind == "quiz":
            parts += _question_parts(questions.pop(item.row.id, []))
        found.append(_sentence(item, parts))
    for group in questions.values():  # questions of a quiz whose own settings did not change
        quiz = group[0].parent
        title = tr(quiz.title) or quiz.slug
        found.append(f"{_('Quiz “%(title)s”', title=title)}: "
                     f"{', '.join(_question_parts(group))}")
    return found


def _question_parts(group: list[Pending]) -> list[str]:
    before = {q.row.key: q.before for q in group if q.before is not None}
    after = {q.row.key: q.after for q in group}
    return _counts(question_changes(before, after), "question")


def _sentence(item: Pending, parts: list[str]) -> str:
    label = _label(item)
    if item.status == "new":
        return _("%(item)s: new", item=label) + (f" ({', '.join(parts)})" if parts else "")
    return f"{label}: {', '.join(parts) if parts else _('changed')}"


def for_items(course: Course, items: list[tuple[str, int]] | None) -> list[str]:
    """The summary of publishing `items` (None: everything pending) in the course."""
    return lines(selected(course, items))
