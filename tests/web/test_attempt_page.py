"""The attempt page is made afresh from the attempt's stored snapshot on every view: a saved
answer, an error and a change of language all show at once, and a regrade's new snapshot is
what the review shows."""

from __future__ import annotations

import re

from course_app.extensions import db
from course_app.models import Attempt
from tests.helpers import post, sign_in


def _steady(page: str) -> str:
    page = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)
    return re.sub(r'data-ends-seconds="\d+"', 'data-ends-seconds=""', page)


def test_the_attempt_page_shows_each_saved_answer_and_the_readers_language(
        client, trainee) -> None:
    assert sign_in(client, trainee.email).status_code == 302
    started = post(client, "/courses/demo/quizzes/module-1/attempts")
    page_url = started.headers["Location"]
    made = db.session.get(Attempt, int(page_url.rsplit("/", 1)[1]))
    single = next(q for q in made.questions if q["type"] == "single")
    choices = [c["key"] for c in single["type_data"]["choices"]]
    field = f'name="q-{single["key"]}"'

    first = client.get(page_url).get_data(as_text=True)
    # Viewing twice changes nothing but what moves with the clock (the CSRF token's signed
    # time, the session's seconds left): a second may pass between the two views.
    assert _steady(client.get(page_url).get_data(as_text=True)) == _steady(first)
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


def test_another_trainees_attempt_is_not_found(client, trainee, make_user) -> None:
    assert sign_in(client, trainee.email).status_code == 302
    page_url = post(client, "/courses/demo/quizzes/module-1/attempts").headers["Location"]
    make_user("trainee", email="khac@example.vn")
    other = client.application.test_client()
    assert sign_in(other, "khac@example.vn").status_code == 302
    assert other.get(page_url).status_code == 404
