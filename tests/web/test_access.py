"""Every route declares who may use it, and each role gets exactly that (SECURITY.md 6-7)."""

from __future__ import annotations

import pytest

from course_app.certificates import service as certificates
from course_app.extensions import db
from course_app.models import Attempt, Certificate
from course_app.security.access import POLICIES, policy_of

from ..helpers import post, sign_in

EXPECTED = {
    "auth.login": "public", "auth.set_language": "public", "auth.logout": "signed_in",
    "auth.change_password": "signed_in", "learn.dashboard": "signed_in",
    "learn.course": "enrolled", "learn.lesson": "enrolled", "learn.complete_lesson": "enrolled",
    "learn.media": "enrolled", "quiz.intro": "enrolled", "quiz.start": "enrolled",
    "quiz.attempt": "owner", "quiz.submit": "owner", "quiz.review": "owner",
    "certificates.pdf": "owner", "certificates.verify_form": "public",
    "certificates.verify": "public", "certificates.verify_json": "public",
    "health.healthz": "public", "static": "public",
}


def test_every_route_declares_an_access_policy(app):
    for rule in app.url_map.iter_rules():
        policy = policy_of(app, rule.endpoint)
        assert policy in POLICIES, f"{rule.rule} ({rule.endpoint}) has no access policy"


def test_policies_are_the_expected_ones(app):
    """The foundation's routes; each feature's test module checks its own routes' policies."""
    declared = {rule.endpoint: policy_of(app, rule.endpoint) for rule in app.url_map.iter_rules()}
    for endpoint, policy in EXPECTED.items():
        assert declared.get(endpoint) == policy, f"{endpoint}: {declared.get(endpoint)}"


def test_non_trainers_never_reach_trainer_areas(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/reports", "/grading", "/author")):
            assert policy_of(app, rule.endpoint) in ("trainer", "admin"), rule.rule
        if rule.rule.startswith("/admin"):
            assert policy_of(app, rule.endpoint) == "admin", rule.rule


def test_a_route_without_policy_is_refused(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert client.get("/forgotten").status_code == 403


ANONYMOUS_GETS = ["/", "/courses/demo", "/courses/demo/lessons/tong-quan",
                  "/courses/demo/quizzes/module-1", "/attempts/1", "/attempts/1/review",
                  "/account/password", "/courses/demo/media/chu-trinh.svg"]


@pytest.mark.parametrize("url", ANONYMOUS_GETS)
def test_anonymous_is_sent_to_sign_in(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_posts_are_refused(client, loaded):
    for url in ("/courses/demo/lessons/tong-quan/complete", "/attempts/1/submit", "/logout",
                "/courses/demo/quizzes/module-1/attempts"):
        assert post(client, url).status_code == 401


@pytest.mark.parametrize("url", ["/login", "/verify", "/healthz", "/verify/unknown-code-123456"])
def test_public_pages_need_no_account(client, loaded, url):
    assert client.get(url).status_code in (200, 404)
    assert client.get("/verify").status_code == 200


def test_trainee_outside_the_course_sees_nothing(client, loaded, make_user):
    outsider = make_user("trainee", email="outsider@example.vn")
    sign_in(client, outsider.email)
    for url in ("/courses/demo", "/courses/demo/lessons/tong-quan",
                "/courses/demo/quizzes/module-1", "/courses/demo/media/chu-trinh.svg"):
        assert client.get(url).status_code == 404, url
    assert post(client, "/courses/demo/quizzes/module-1/attempts").status_code == 404


def _attempt_of(client, user):
    sign_in(client, user.email)
    started = post(client, "/courses/demo/quizzes/module-1/attempts")
    return int(started.headers["Location"].rsplit("/", 1)[1])


def test_other_trainees_attempts_are_hidden(app, cohort, make_user):
    owner = make_user("trainee", email="a@example.vn", cohort=cohort)
    other = make_user("trainee", email="b@example.vn", cohort=cohort)
    attempt_id = _attempt_of(app.test_client(), owner)
    intruder = app.test_client()
    sign_in(intruder, other.email)
    assert intruder.get(f"/attempts/{attempt_id}").status_code == 404
    assert intruder.get(f"/attempts/{attempt_id}/review").status_code == 404
    assert post(intruder, f"/attempts/{attempt_id}", {"q-q1": "a"}).status_code == 404
    assert post(intruder, f"/attempts/{attempt_id}/submit").status_code == 404
    assert db.session.get(Attempt, attempt_id).status == "in_progress"


def _certificate_for(user):
    from course_app.database import writing
    from course_app.people.accounts import get_course

    with writing():
        made = certificates._issue(user, get_course("demo"), 90.0, "test", None)
        db.session.commit()
    return made


def test_certificate_pdf_for_owner_cohort_trainer_and_admin_only(app, cohort, make_user):
    holder = make_user("trainee", email="holder@example.vn", cohort=cohort)
    code = _certificate_for(holder).code
    allowed = [holder, make_user("trainer", cohort=cohort), make_user("admin")]
    refused = [make_user("trainee", cohort=cohort), make_user("trainer")]
    for user, expected in [(u, 200) for u in allowed] + [(u, 404) for u in refused]:
        browser = app.test_client()
        sign_in(browser, user.email)
        assert browser.get(f"/certificates/{code}.pdf").status_code == expected, user.email
    assert db.session.query(Certificate).count() == 1


def test_trainer_cannot_open_a_trainees_attempt(app, cohort, make_user):
    trainee = make_user("trainee", cohort=cohort)
    attempt_id = _attempt_of(app.test_client(), trainee)
    trainer = make_user("trainer", cohort=cohort)
    browser = app.test_client()
    sign_in(browser, trainer.email)
    assert browser.get(f"/attempts/{attempt_id}").status_code == 404
