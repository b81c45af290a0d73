"""Input the database cannot hold ends in a clear 4xx, never a 500 (issue 18, items 12-14;
SECURITY.md 16 and the promise "every request ends in a clear answer"): a NUL byte anywhere in
a request, an id beyond the database's integer range, CR/LF in `?next=`. On SQLite and, with
COURSE_APP_TEST_DATABASE_URL, on PostgreSQL, which refuses NUL in text and big integers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import AuditEvent
from course_app.security.requests import DATABASE_INT_MAX

from ..helpers import PASSWORD, csrf, post

NUL_MESSAGE = "NUL"


def test_a_nul_byte_in_the_anonymous_sign_in_form_is_a_clear_400(app, client, trainee):
    for form in ({"email": "a\x00@example.vn", "password": "x" * 12},
                 {"email": trainee.email, "password": "mật\x00khẩu dài"},
                 {"email\x00": trainee.email, "password": PASSWORD}):
        response = post(client, "/login", form)
        assert response.status_code == 400, form
        assert NUL_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.like("auth.%"))) == 0  # nothing written


def test_a_nul_byte_in_query_arguments_json_and_url_parts_is_a_400(app, client, login_as,
                                                                    trainee):
    login_as(trainee)
    assert client.get("/courses/demo?tab=%00").status_code == 400
    assert client.get("/courses/de%00mo").status_code == 400
    response = client.post("/language", json={"locale": "vi\x00"},
                           headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 400
    assert client.get("/courses/demo").status_code == 200  # the same pages without NUL work


def test_a_nul_byte_in_a_saved_answer_is_a_400_and_saves_nothing(app, client, login_as,
                                                                 trainee):
    login_as(trainee)
    started = post(client, "/courses/demo/quizzes/reflection/attempts")
    attempt = started.headers["Location"]
    response = post(client, attempt, {"q-e1": "Một kế hoạch\x00 ngắn."},
                    headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400
    assert "Một kế hoạch" not in client.get(attempt).get_data(as_text=True)


@pytest.mark.parametrize("number", [str(DATABASE_INT_MAX + 1), "99999999999999999999",
                                    "9" * 5000])
def test_a_huge_id_is_a_404(app, client, login_as, trainee, number):
    login_as(trainee)
    for url in (f"/attempts/{number}", f"/attempts/{number}/review"):
        assert client.get(url).status_code == 404, url
    assert post(client, f"/attempts/{number}/submit").status_code == 404
    assert client.get(f"/attempts/{DATABASE_INT_MAX}").status_code == 404  # in range: no row


def test_every_int_rule_is_bounded(app):
    rules = [rule for rule in app.url_map.iter_rules() if "int" in str(rule)]
    assert len(rules) >= 20
    for rule in rules:
        for converter in rule._converters.values():
            if type(converter).__name__ == "DatabaseInteger":
                assert converter.max == DATABASE_INT_MAX, rule


@pytest.mark.parametrize("target", ["/courses/demo\r\nSet-Cookie: x=1", "/x\n", "/\\evil.vn",
                                    "/a\x7fb", "/courses/demo%0d%0a"])
def test_control_characters_in_next_never_give_a_500(app, client, trainee, target):
    token = csrf(client, "/login")
    response = client.post("/login", query_string={"next": target},
                           data={"csrf_token": token, "email": trainee.email,
                                 "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil" not in location
    if "%0d" in target:
        assert location.endswith(target)  # an encoded CR/LF is a harmless path
    else:
        assert location == "/"
