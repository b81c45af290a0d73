"""quiz/attempt_snapshots.py: an open attempt's snapshot is decoded once per process and
its presentation built once; closed attempts are always decoded afresh (a regrade may rewrite
their snapshot); a new attempt that reuses a deleted one's id never gets the old entry."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from course_app.extensions import db
from course_app.models import Attempt
from course_app.quiz import attempt_snapshots
from tests.helpers import post, sign_in

STARTED = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
SNAPSHOT = [{"key": "q1", "type": "single", "text": {"vi": "Câu một"}, "points": 1.0}]


def attempt(status: str = "in_progress", attempt_id: int = 7,
            started: datetime = STARTED) -> Attempt:
    return Attempt(id=attempt_id, seed=42, started_at=started, status=status)


@pytest.fixture
def context(app: Flask):
    with app.app_context():
        yield


def test_an_open_attempt_is_decoded_once_and_then_served_as_kept(context) -> None:
    first = attempt_snapshots.questions(attempt(), json.dumps(SNAPSHOT))
    again = attempt_snapshots.questions(attempt(), json.dumps([{"key": "other"}]))
    assert first == SNAPSHOT
    assert again is first


def test_a_closed_attempt_is_decoded_afresh_every_time(context) -> None:
    attempt_snapshots.questions(attempt(), json.dumps(SNAPSHOT))  # kept while it was open
    regraded = [{**SNAPSHOT[0], "points": 2.0}]
    assert attempt_snapshots.questions(attempt("finished"), json.dumps(regraded)) == regraded
    assert attempt_snapshots.questions(attempt("needs_grading"), regraded) == regraded


def test_a_reused_id_with_another_start_time_is_a_new_entry(context) -> None:
    attempt_snapshots.questions(attempt(), json.dumps(SNAPSHOT))
    newer = attempt(started=STARTED + timedelta(minutes=5))
    other = [{"key": "q9"}]
    assert attempt_snapshots.questions(newer, json.dumps(other)) == other


def test_the_least_recently_used_entries_go_beyond_the_limit(context, monkeypatch) -> None:
    monkeypatch.setattr(attempt_snapshots, "MAX_ENTRIES", 2)
    for attempt_id in (1, 2):
        attempt_snapshots.questions(attempt(attempt_id=attempt_id), [{"key": f"a{attempt_id}"}])
    attempt_snapshots.questions(attempt(attempt_id=1), [])  # 1 is used again: 2 is older now
    attempt_snapshots.questions(attempt(attempt_id=3), [{"key": "a3"}])
    assert attempt_snapshots.questions(attempt(attempt_id=1), []) == [{"key": "a1"}]
    assert attempt_snapshots.questions(attempt(attempt_id=2), []) == []  # dropped, decoded anew


def shown(attempt: Attempt, shuffle_choices: bool, build):
    return attempt_snapshots.made(attempt, attempt_snapshots.SHOWN, shuffle_choices, build)


def test_the_presentation_is_built_once_per_shuffle_setting(context) -> None:
    built: list[bool] = []

    def build(flag: bool):
        return lambda: built.append(flag) or [{"choices": [flag]}]

    open_attempt = attempt()
    attempt_snapshots.questions(open_attempt, SNAPSHOT)
    first = shown(open_attempt, True, build(True))
    assert shown(open_attempt, True, build(True)) is first
    assert shown(open_attempt, False, build(False)) == [{"choices": [False]}]
    assert built == [True, False]
    closed = attempt("finished")
    shown(closed, True, build(True))
    shown(closed, True, build(True))
    assert built == [True, False, True, True]


def test_the_attempt_page_shows_each_saved_answer_and_the_readers_language(
        client, trainee) -> None:
    """The questions' HTML is kept with the open attempt, but a saved answer, an error and a
    change of language all show at once; a page from the kept parts equals one made afresh."""
    assert sign_in(client, trainee.email).status_code == 302
    started = post(client, "/courses/demo/quizzes/module-1/attempts")
    page_url = started.headers["Location"]
    made = db.session.get(Attempt, int(page_url.rsplit("/", 1)[1]))
    single = next(q for q in made.questions if q["type"] == "single")
    choices = [c["key"] for c in single["type_data"]["choices"]]
    field = f'name="q-{single["key"]}"'

    first = client.get(page_url).get_data(as_text=True)
    assert client.get(page_url).get_data(as_text=True) == first  # from the kept parts
    for choice in choices[:2]:
        assert post(client, page_url, {f"q-{single['key']}": choice}).status_code == 302
        page = client.get(page_url).get_data(as_text=True)
        checked = re.findall(rf'<input[^>]*{field}[^>]*value="([^"]+)"[^>]*checked', page)
        assert checked == [choice]
    wrong = post(client, page_url, {f"q-{single['key']}": "no-such-choice"})
    assert wrong.status_code == 400 and 'class="field-error"' in wrong.get_data(as_text=True)
    post(client, "/language", {"locale": "en", "next": page_url})
    english = client.get(page_url).get_data(as_text=True)
    assert "Question 1" in english and "Question 1" not in first
    attempt_snapshots._store().entries.clear()  # a fresh process makes the same page
    assert client.get(page_url).get_data(as_text=True) == english


def test_the_page_from_plain_rows_is_the_page_from_orm_objects(
        client, trainee, make_user, monkeypatch) -> None:
    """An open attempt's page is read as plain rows (attempt_views); the same page made from
    the ORM objects, as the full path makes it, is identical. Closed, out of time and foreign
    attempts take the full path."""
    from course_app.database import writing
    from course_app.quiz import attempt_views

    assert sign_in(client, trainee.email).status_code == 302
    page_url = post(client, "/courses/demo/quizzes/module-1/attempts").headers["Location"]
    made = db.session.get(Attempt, int(page_url.rsplit("/", 1)[1]))  # choices shuffled
    single = next(q for q in made.questions if q["type"] == "single")
    post(client, page_url, {f"q-{single['key']}": single["type_data"]["choices"][0]["key"]})
    assert "flash" in client.get(page_url).get_data(as_text=True)  # "saved", shown once
    from_rows = client.get(page_url).get_data(as_text=True)
    assert attempt_views.open_attempt_page(trainee, made.id) is not None
    with monkeypatch.context() as patched:
        patched.setattr(attempt_views, "open_attempt_page", lambda user, attempt_id: None)
        from_objects = client.get(page_url).get_data(as_text=True)
    assert from_objects == from_rows and " checked" in from_rows

    other = make_user("trainee", email="khac@example.vn")
    with pytest.raises(attempt_views.NotFound):
        attempt_views.open_attempt_page(other, made.id)
    with writing():
        late = db.session.get(Attempt, made.id)
        late.deadline_at = late.started_at - timedelta(minutes=5)
        db.session.commit()
    assert attempt_views.open_attempt_page(trainee, made.id) is None
    closed = client.get(page_url)  # the full path grades what was saved in time
    assert closed.status_code == 302 and closed.headers["Location"].endswith("/review")
    assert attempt_views.open_attempt_page(trainee, made.id) is None
