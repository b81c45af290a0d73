"""The course outline (modules, lessons and quizzes with the trainee's state) as an HTML widget
(see course_app/widget_html.py for why it is Python and the escaping rule it follows): every
lesson page and the course page show it, with a line per lesson and per quiz."""

from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup

from ..i18n import N_, percent, tr, translated
from ..widget_html import Html, join_html, label, text

# Outside the f-string: Babel's extractor does not look inside f-strings.
HEADING = N_("Course outline")

SAFE_CALLS = frozenset({"text", "join_html", "label", "_current", "_lesson", "_lessons",
                        "_outline", "_quiz", "_quiz_state", "_section", "_sections"})


def _current(current: bool) -> Html:
    return ' aria-current="page"' if current else ""


def _lesson(lesson: Any, done: bool, current: bool, prefix: str, labels: dict[str, str]) -> Html:
    css = ("done" if done else "") + (" current" if current else "")
    return (f'<li class="{text(css)}"><a href="{text(prefix + lesson.slug)}"'
            f"{_current(current)}>{text(tr(lesson.title))}</a> "
            f'<span class="state">{text(labels["read" if done else "unread"])}</span></li>')


def _lessons(lessons: list[tuple[Any, bool]], current_lesson_id: int | None, prefix: str,
             labels: dict[str, str]) -> Html:
    return join_html(_lesson(lesson, done, lesson.id == current_lesson_id, prefix, labels)
                     for lesson, done in lessons)


def _quiz_state(state: Any, labels: dict[str, str]) -> Html:
    waiting = getattr(state, "waiting", False)  # an essay waits for a trainer
    if state.grade is None:
        shown = labels["waiting" if waiting else "not_taken"]
    else:
        shown = percent(state.grade) + (" · " + labels["passed"] if state.passed else "")
        shown += " · " + labels["waiting"] if waiting and not state.passed else ""
    return text(shown + ("" if state.quiz.required else " · " + labels["optional"]))


def _quiz(state: Any, prefix: str, labels: dict[str, str]) -> Html:
    return (f'<li class="quiz{" done" if state.passed else ""}"><span><span class="kind">'
            f'{text(labels["quiz"])}</span> <a href="{text(prefix + state.quiz.slug)}">'
            f'{text(tr(state.quiz.title))}</a></span> '
            f'<span class="state">{_quiz_state(state, labels)}</span></li>')


def _section(title: str, lessons: list[tuple[Any, bool]], quizzes: list[Any],
             current_lesson_id: int | None, prefixes: tuple[str, str],
             labels: dict[str, str]) -> Html:
    return (f'<li><h3>{text(title)}</h3><ol class="lessons">'
            f"{_lessons(lessons, current_lesson_id, prefixes[0], labels)}"
            f'{join_html(_quiz(state, prefixes[1], labels) for state in quizzes)}</ol></li>')


def _sections(progress: Any, current_lesson_id: int | None) -> Html:
    slug = progress.course.slug
    # One url_for per kind of link: slugs are URL-safe by validation.
    prefixes = (url_for("learn.lesson", course_slug=slug, lesson_slug="-")[:-1],
                url_for("quiz.intro", course_slug=slug, quiz_slug="-")[:-1])
    labels = {"quiz": translated(N_("Quiz")), "read": translated(N_("read")),
              "unread": translated(N_("not read")), "passed": translated(N_("passed")),
              "not_taken": translated(N_("not taken")), "optional": translated(N_("optional")),
              "waiting": translated(N_("waiting for grading"))}
    sections = [(tr(m.module.title), m.lessons, m.quizzes) for m in progress.modules]
    if progress.course_quizzes:
        sections.append((translated(N_("Final assessment")), [], progress.course_quizzes))
    return join_html(_section(title, lessons, quizzes, current_lesson_id, prefixes, labels)
                     for title, lessons, quizzes in sections)


def _outline(progress: Any, current_lesson_id: int | None) -> Html:
    return (f'<nav class="outline" id="outline" aria-labelledby="outline-heading">'
            f'<h2 id="outline-heading">{label(HEADING)}</h2>'
            f'<ol class="modules">{_sections(progress, current_lesson_id)}</ol></nav>')


def course_outline(progress: Any, current_lesson_id: int | None = None) -> Markup:
    """The outline of a progress.service.CourseProgress, the current lesson marked."""
    return Markup(_outline(progress, current_lesson_id))  # noqa: S704 - escaped (widget_html)
