"""Helpers for tests that talk HTTP like a browser without JavaScript: every POST carries the
CSRF token taken from a rendered page, as a real form would."""

from __future__ import annotations

import re
import signal
import subprocess  # noqa: S404 - stops the test's own servers
from typing import Any

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
PASSWORD = "mật khẩu đủ dài 123"


def csrf(client: FlaskClient, page: str = "/verify") -> str:
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None,
         **kwargs: Any) -> Any:
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf(client))
    return client.post(url, data=payload, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return post(client, "/login", {"email": email, "password": password})


def take_quiz(client: FlaskClient, quiz: str, right: dict[str, Any],
              course: str = "demo") -> int:
    """Start and submit an attempt through the trainee's pages, answering each question with
    `right[key]`; returns the attempt's id."""
    from course_app.extensions import db
    from course_app.models import Attempt

    started = post(client, f"/courses/{course}/quizzes/{quiz}/attempts")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    answers = {f"q-{q['key']}": right[q["key"]] for q in attempt.questions}
    assert post(client, f"/attempts/{attempt_id}/submit", answers).status_code == 302
    return attempt_id


def stop_server(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """SIGTERM a server started by a test, then SIGKILL if it has not gone in 20 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr:
        process.stderr.close()


def submit(attempt: Any, form: dict[str, list[str]] | None) -> bool:
    """Submit an attempt through the one rule that closes attempts, as the Submit button does."""
    from course_app.quiz import closing

    return closing.close_attempt(attempt, form, closing.SUBMITTED)


def grade_capstone(trainer: FlaskClient, attempt_id: int, levels: dict[str, dict[str, str]],
                   comment: str | None = None,
                   notes: dict[str, dict[str, str]] | None = None) -> Any:
    """A trainer grades a rubric-graded assignment in the browser's grading form: for each
    essay key, the level picked per criterion (fields level-<key>-<criterion>) and optional
    comments per criterion (fields comment-<key>-<criterion>)."""
    form = {f"level-{key}-{criterion}": level
            for key, picks in levels.items() for criterion, level in picks.items()}
    form.update({f"comment-{key}-{criterion}": note
                 for key, per in (notes or {}).items() for criterion, note in per.items()})
    if comment:
        form.update({f"comment-{key}": comment for key in levels})
    return post(trainer, f"/grading/attempts/{attempt_id}", form)
