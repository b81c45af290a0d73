"""The UI's server side: background autosave answers JSON, fingerprinted static files with a
long cache, <html lang> and the remembered language, dates and numbers in each locale."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime

from course_app.extensions import db
from course_app.i18n import local_date, local_datetime, number, percent
from course_app.models import Answer, Attempt, User

from ..helpers import csrf, post, sign_in

FETCH = {"X-Requested-With": "fetch"}


def _start(client, quiz="module-1"):
    response = post(client, f"/courses/demo/quizzes/{quiz}/attempts")
    return response.headers["Location"]


def test_autosave_answers_json_and_saves(client, trainee):
    sign_in(client, trainee.email)
    url = _start(client, "final")
    attempt = db.session.get(Attempt, int(url.rsplit("/", 1)[1]))
    answers = {f"q-{q['key']}": "a" if q["type"] == "single" else "true"
               for q in attempt.questions}
    saved = post(client, url, answers, headers=FETCH)
    assert saved.status_code == 200
    body = saved.get_json()
    assert body["status"] == "saved" and 0 < body["seconds_left"] <= 30 * 60
    assert db.session.query(Answer).count() == 2  # the two questions drawn for this attempt
    page = client.get(url).get_data(as_text=True)
    assert "Your answers have been saved." not in page  # no flash left behind by autosave


def test_autosave_names_the_invalid_answer_and_saves_the_others(client, trainee):
    sign_in(client, trainee.email)
    url = _start(client)
    refused = post(client, url, {"q-q1": "zzz", "q-q3": "true"}, headers=FETCH)
    assert refused.status_code == 400
    body = refused.get_json()
    assert body["status"] == "invalid" and list(body["errors"]) == ["q1"]
    assert "This choice does not exist" in body["errors"]["q1"] or \
        "không tồn tại" in body["errors"]["q1"]
    assert [(a.question_key, a.response) for a in db.session.query(Answer)] == [("q3", "true")]


def test_autosave_after_submission_points_to_the_review(client, trainee):
    sign_in(client, trainee.email)
    url = _start(client)
    post(client, url + "/submit", {"q-q1": "a"})
    late = post(client, url, {"q-q1": "b"}, headers=FETCH)
    assert late.status_code == 200
    assert late.get_json() == {"status": "closed", "redirect": url + "/review"}
    without_js = post(client, url, {"q-q1": "b"})
    assert without_js.status_code == 302 and without_js.headers["Location"] == url + "/review"


def test_static_files_have_fingerprinted_names_and_a_long_cache(client):
    html = client.get("/login").get_data(as_text=True)
    css_url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html).group(1)
    js_url = re.search(r'src="(/static/js/app\.[0-9a-f]{12}\.js)"', html).group(1)
    css = client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and css.headers["Content-Encoding"] == "gzip"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    text = gzip.decompress(css.data).decode()
    fonts = re.findall(r'url\("\.\./(fonts/[\w-]+\.[0-9a-f]{12}\.woff2)"\)', text)
    assert len(fonts) >= 3
    font = client.get(f"/static/{fonts[0]}")
    assert font.status_code == 200 and font.headers["Content-Type"] == "font/woff2"
    assert font.headers["Cache-Control"].endswith("immutable")
    plain = client.get(js_url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    again = client.get(js_url, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_outdated_or_unknown_static_names(client):
    stale = client.get("/static/css/app.000000000000.css")
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]
    assert client.get("/static/css/nope.000000000000.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
    assert client.get("/static/css/..%2f..%2fconfig.000000000000.py").status_code == 404
    with client.get("/static/css/app.css") as plain:  # the plain name still works
        assert plain.status_code == 200


def test_html_lang_follows_the_language_and_sign_in_keeps_the_choice(client, trainee):
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": csrf(client)})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    assert sign_in(client, trainee.email).status_code == 302
    assert db.session.get(User, trainee.id).locale == "en"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/courses/nope").get_data(as_text=True)


def test_dates_and_numbers_in_each_locale(app):
    moment = datetime(2026, 3, 5, 17, 30, tzinfo=UTC)  # 00:30 on 6 March in Hanoi time
    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale("vi"):
            assert local_datetime(moment, "short") == "06/03/2026 00:30"
            assert local_date(moment, "long") == "ngày 6 tháng 3 năm 2026"
            assert number(1234.5) == "1.234,5" and percent(87.5) == "87,5%"
        with force_locale("en"):
            assert local_datetime(moment, "short") == "6 Mar 2026, 00:30"
            assert local_date(moment) == "6 Mar 2026"
            assert number(1234.5) == "1,234.5" and percent(87.5) == "87.5%"
        assert number(None) == "–" and local_date(None) == ""


def test_sign_in_errors_come_from_our_catalogs_not_from_wtforms(client):
    html = post(client, "/login", {"email": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." not in html  # WTForms' own English, untranslatable
    assert 'aria-describedby="email-error"' in html and 'id="email-error"' in html


def test_field_macro_without_autocomplete_prints_no_python_none(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField

    class Form(FlaskForm):
        name = StringField("Name")

    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% from "_forms.html" import field %}{{ field(form.name) }}'
            '{{ field(form.name, "off") }}')
        html = template.render(form=Form(meta={"csrf": False}))
    assert '="None"' not in html
    assert html.count('autocomplete="off"') == 1
