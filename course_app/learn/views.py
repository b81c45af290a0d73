"""The trainee's dashboard, course pages and lessons."""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..catalog.media import course_media
from ..certificates import service as certificates
from ..cohorts.views import render_start
from ..domain.errors import NotFound
from ..models import Course
from ..progress import outline_cache, since_certificate
from ..progress import service as progress
from ..quiz.review import hidden_scores, passed_shown
from ..schedule import shown
from ..security.access import access
from . import notices

bp = Blueprint("learn", __name__)


@bp.route("/")
@access("signed_in")
def dashboard() -> str:
    if current_user.is_trainer:  # trainers and administrators start on their cohorts
        return render_start()
    courses = progress.enrolled_courses(current_user)
    generation = outline_cache.current_generation() if courses else None
    cards = [progress.course_progress(current_user, c, generation) for c in courses]
    owned = [(c, certificates.status_of(c)) for c in certificates.certificates_of(current_user)]
    dates = shown.for_courses(current_user.id,  # one query for every course's deadlines
                              {card.course.id: [q.quiz for q in card.all_quizzes]
                               for card in cards})
    passed = {card.course.id: passed_shown(card.status, card.all_quizzes,
                                           hidden_scores(current_user, card.all_quizzes))
              for card in cards}
    return render_template("learn/dashboard.html", cards=cards, certificates=owned, dates=dates,
                           passed=passed, notices=notices.recent(current_user.id))


def _course_or_404(slug: str) -> Course:
    try:
        return progress.course_for(current_user, slug)
    except NotFound:
        abort(404)


def _page_or_404(slug: str) -> progress.CourseProgress:
    try:
        return progress.course_page(current_user, slug)
    except NotFound:
        abort(404)


@bp.route("/courses/<course_slug>")
@access("enrolled")
def course(course_slug: str) -> str:
    page = _page_or_404(course_slug)
    since = None
    if page.certificate_id is not None and not page.status.complete:
        read = {lesson.id for m in page.modules for lesson, done in m.lessons if done}
        passed = {q.quiz.id for q in page.all_quizzes if q.passed}
        since = since_certificate.added_since(page.certificate_id, read, passed)
    dates = shown.for_course(current_user.id, page.course.id, [q.quiz for q in page.all_quizzes])
    hidden = hidden_scores(current_user, page.all_quizzes)
    return render_template("learn/course.html", progress=page, since=since, dates=dates,
                           hidden=hidden, passed=passed_shown(page.status, page.all_quizzes,
                                                              hidden))


@bp.route("/courses/<course_slug>/lessons/<lesson_slug>")
@access("enrolled")
def lesson(course_slug: str, lesson_slug: str) -> str:
    outline = _page_or_404(course_slug)
    try:
        item = progress.lesson_page(outline.course, lesson_slug, outline.generation)
    except NotFound:
        abort(404)
    previous, following = progress.neighbours_in(outline, item)
    read = any(done for m in outline.modules for lsn, done in m.lessons if lsn.id == item.id)
    return render_template("learn/lesson.html", progress=outline, lesson=item, read=read,
                           previous=previous, following=following,
                           hidden=hidden_scores(current_user, outline.all_quizzes))


@bp.route("/courses/<course_slug>/lessons/<lesson_slug>/complete", methods=["POST"])
@access("enrolled")
def complete_lesson(course_slug: str, lesson_slug: str) -> WerkzeugResponse:
    found = _course_or_404(course_slug)
    try:
        item = progress.lesson_in_course(found, lesson_slug)
    except NotFound:
        abort(404)
    progress.mark_read(current_user, item)
    certificates.evaluate(current_user, found)
    _, following = progress.neighbours(found, item)
    if following is not None:
        return redirect(url_for("learn.lesson", course_slug=found.slug,
                                lesson_slug=following.slug))
    return redirect(url_for("learn.course", course_slug=found.slug))


@bp.route("/courses/<course_slug>/media/<name>")
@access("enrolled")
def media(course_slug: str, name: str) -> Response:
    found = _course_or_404(course_slug)
    item = course_media(found, name)
    if item is None:
        abort(404)
    response = make_response(item.data)
    response.headers["Content-Type"] = item.content_type
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["ETag"] = item.sha256
    return response
