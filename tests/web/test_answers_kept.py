"""Answers are never lost (issue 16): an invalid field, a second tab, an ended session, an
oversized form; Submit asks first; ordering items move without JavaScript."""

from __future__ import annotations

import html
import re
import time

import pytest
import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import Answer, Attempt

from ..helpers import PASSWORD, TOKEN, post, sign_in
from ..integration.test_all_question_types import people as people  # noqa: F401
from ..integration.test_all_question_types import start

FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


def saved(attempt_id: int) -> dict:
    """Each saved answer; a numeric one as the text typed (it is stored with the number read,
    tests/integration/test_numbers_as_written.py checks that)."""
    db.session.expire_all()
    return {a.question_key: a.response["text"] if isinstance(a.response, dict)
            and "text" in a.response else a.response for a in db.session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt_id))}


def page_state(client, url: str) -> dict[str, str]:
    """The hidden fields an attempt page posts besides the answers."""
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(revision|seen|csrf_token)" '
                             r'value="([^"]*)"', page))
    return {name: html.unescape(value) for name, value in fields.items()}


@pytest.fixture
def attempt_url(client, people):  # noqa: F811
    trainee, _trainer = people
    assert sign_in(client, trainee.email).status_code == 302
    return f"/attempts/{start(client)}"


def test_an_invalid_answer_keeps_every_other_answer_and_the_typed_text(client, attempt_url):
    form = {"q-so": "mười hai", "q-mot-lua-chon": "bac", "q-tra-loi-ngan": "Hải Phòng",
            "q-nhieu-lua-chon": ["hp", "dn"]}
    page = post(client, attempt_url, form)
    body = page.get_data(as_text=True)
    assert page.status_code == 400
    assert re.search(r'id="question-so"[^>]*>.*?class="field-error"', body, re.S)
    assert 'name="q-so" value="mười hai"' in body  # what the trainee typed, shown back
    assert re.search(r'name="q-mot-lua-chon" value="bac" checked', body)
    assert 'value="Hải Phòng"' in body and body.count(" checked") == 3
    answers = saved(int(attempt_url.rsplit("/", 1)[1]))
    assert answers["mot-lua-chon"] == "bac" and answers["nhieu-lua-chon"] == ["dn", "hp"]
    assert "so" not in answers


def test_an_older_tab_keeps_newer_answers_and_asks_where_both_changed(client, attempt_url):
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    old_tab = page_state(client, attempt_url)
    new_tab = page_state(client, attempt_url)
    post(client, attempt_url, {**new_tab, "q-mot-lua-chon": "bac", "q-tra-loi-ngan": "Huế"})
    # The old tab never touched the single choice; it changes the number.
    reply = post(client, attempt_url, {**old_tab, "q-so": "60"}, headers=FETCH)
    body = reply.get_json()
    assert reply.status_code == 200 and body["changed_elsewhere"] is True
    assert saved(attempt_id) == {"mot-lua-chon": "bac", "tra-loi-ngan": "Huế", "so": "60"}
    assert body["revision"] == db.session.get(Attempt, attempt_id).revision == 2
    # Both changed the short answer: nothing replaced, both shown, the trainee chooses.
    page = post(client, attempt_url, {**old_tab, "q-tra-loi-ngan": "Hà Nội"})
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and 'class="conflict"' in text
    assert 'value="Hà Nội"' in text and 'value="Huế"' in text
    assert saved(attempt_id)["tra-loi-ngan"] == "Huế"
    again = {**page_state_from(text), "q-tra-loi-ngan": "Hà Nội", "keep_saved": "tra-loi-ngan"}
    assert post(client, attempt_url, again).status_code == 302
    assert saved(attempt_id)["tra-loi-ngan"] == "Huế"
    chosen = {**page_state_from(text), "q-tra-loi-ngan": "Hà Nội", "q-so": "60",
              "q-mot-lua-chon": "bac"}
    assert post(client, attempt_url, chosen).status_code == 302
    assert saved(attempt_id)["tra-loi-ngan"] == "Hà Nội"


def page_state_from(text: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="(revision|seen)" value="([^"]*)"', text)}


def _expire(client) -> None:
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 10 * 3600


def test_an_ended_session_leads_to_sign_in_and_back_with_the_answers(client, people,  # noqa: F811
                                                                     attempt_url):
    trainee, _trainer = people
    state = page_state(client, attempt_url)
    _expire(client)
    form = {**state, "q-so": "60", "q-tra-loi-ngan": "Hải Phòng"}
    refused = client.post(attempt_url, data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code in (400, 401) and "Lỗi 400" not in text
    assert f'action="{attempt_url}/resume"' in text
    assert '<input type="hidden" name="q-so" value="60">' in text
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    carried = {name: html.unescape(value) for name, value in carried.items()}
    carried.update(email=trainee.email, password=PASSWORD,
                   csrf_token=TOKEN.search(text).group(1))
    back = client.post(attempt_url + "/resume", data=carried)
    assert back.status_code == 302 and back.headers["Location"] == attempt_url
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    assert saved(attempt_id) == {"so": "60", "tra-loi-ngan": "Hải Phòng"}
    assert "Hải Phòng" in client.get(attempt_url).get_data(as_text=True)


def test_an_ended_session_answers_autosave_with_json_and_submit_with_the_sign_in_page(
        client, attempt_url):
    state = page_state(client, attempt_url)
    _expire(client)
    reply = client.post(attempt_url, data={**state, "q-so": "60"}, headers=FETCH)
    assert reply.status_code in (400, 401) and reply.get_json()["status"] == "signed_out"
    assert reply.get_json()["login"].startswith("/login?next=")
    submitted = client.post(attempt_url + "/submit", data={**state, "q-so": "60"})
    text = submitted.get_data(as_text=True)
    assert submitted.status_code in (400, 401) and "/resume" in text
    assert '<input type="hidden" name="q-so" value="60">' in text


def test_oversized_forms_are_refused_briefly(client, attempt_url):
    state = page_state(client, attempt_url)
    many = {**state, **{f"q-x{i}": "a" for i in range(3000)}}
    refused = client.post(attempt_url, data=many, headers=FETCH)
    assert refused.status_code == 413 and len(refused.get_data()) < 2000
    huge = {**state, "q-tu-luan": "a" * (2 * 1024 * 1024)}
    refused = client.post(attempt_url, data=huge, headers=FETCH)
    assert refused.status_code == 413 and len(refused.get_data()) < 2000
    strays = {**state, **{f"q-x{i}": "a" for i in range(500)}}
    reply = client.post(attempt_url, data=strays, headers=FETCH)
    assert reply.status_code == 400 and len(reply.get_data()) < 2000


def test_submit_asks_first_naming_the_unanswered_questions(client, attempt_url):
    state = page_state(client, attempt_url)
    asked = client.post(attempt_url + "/submit",
                        data={**state, "q-mot-lua-chon": "bac", "ask": "1"})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'name="confirmed"' in text
    assert text.count(f'<li><a href="{attempt_url}#question-') == 7  # 8 questions, 1 answered
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    assert db.session.get(Attempt, attempt_id).status == "in_progress"
    assert saved(attempt_id) == {"mot-lua-chon": "bac"}
    token = TOKEN.search(text).group(1)
    done = client.post(attempt_url + "/submit", data={"csrf_token": token, "confirmed": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/review")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).status != "in_progress"
    assert saved(attempt_id)["mot-lua-chon"] == "bac"


def test_ordering_items_move_without_javascript_keeping_the_answers(client, attempt_url):
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    state = page_state(client, attempt_url)
    kept = post(client, attempt_url, {**state, "q-so": "60", "move": "sap-xep:-:keep"})
    assert kept.status_code == 302 and kept.headers["Location"].endswith("#question-sap-xep")
    first = saved(attempt_id)["sap-xep"]
    assert sorted(first.values()) == [1, 2, 3, 4] and saved(attempt_id)["so"] == "60"
    second = min(first, key=lambda item: abs(first[item] - 2))
    page = client.get(attempt_url).get_data(as_text=True)
    state = page_state_from(page)
    positions = {f"q-sap-xep-{item}": str(pos) for item, pos in first.items()}
    post(client, attempt_url, {**state, **positions, "q-so": "60",
                               "move": f"sap-xep:{second}:up"})
    moved = saved(attempt_id)["sap-xep"]
    assert moved[second] == 1 and saved(attempt_id)["so"] == "60"
