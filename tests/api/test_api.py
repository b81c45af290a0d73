"""The read-only API: keys (401 without, with a bad or revoked one), the rate limit (429), the
organisation's scope, cursor pages, `updated_since`, 400 naming a malformed parameter."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from course_app import jobs
from course_app.api import keys
from course_app.database import writing
from course_app.extensions import db
from course_app.models import ApiKey, AuditEvent, Certificate, Organisation, User

from .conftest import bearer, earlier

RESOURCES = ("organisations", "courses", "cohorts", "trainees", "attempts", "certificates")


def test_every_route_wants_a_valid_key(client, orgs):
    a, _ = orgs
    for resource in (*RESOURCES, "openapi.json"):
        url = f"/api/v1/{resource}"
        for headers in ({}, {"Authorization": "Basic abc"}, bearer("ca_not-a-key"),
                        bearer(a.key + "x"), {"Authorization": "Bearer "}):
            response = client.get(url, headers=headers)
            assert response.status_code == 401, (url, headers)
            assert response.is_json and response.json["code"] == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert client.get(url, headers=bearer(a.key)).status_code == 200, url


def test_unknown_paths_and_methods_answer_json(client, orgs):
    a, _ = orgs
    for response in (client.get("/api/v1/nothing", headers=bearer(a.key)),
                     client.post("/api/v1/cohorts", headers=bearer(a.key))):
        assert response.status_code in (404, 405) and response.is_json


def test_a_revoked_key_is_refused_at_once(client, orgs):
    a, _ = orgs
    assert client.get("/api/v1/cohorts", headers=bearer(a.key)).status_code == 200
    with writing():
        key = db.session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == keys.hash_key(a.key)))
        assert keys.revoke_key(key, db.session.get(User, a.admin.id))
        db.session.commit()
    response = client.get("/api/v1/cohorts", headers=bearer(a.key))
    assert response.status_code == 401 and "revoked" in response.json["message"]


def test_a_key_of_an_archived_organisation_is_forbidden(client, orgs):
    a, b = orgs
    with writing():
        db.session.get(Organisation, a.organisation.id).archived = True
        db.session.commit()
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource}", headers=bearer(a.key))
        assert response.status_code == 403 and response.json["code"] == 403, resource
    assert client.get("/api/v1/cohorts", headers=bearer(b.key)).status_code == 200


def test_keys_are_stored_as_hashes_with_a_visible_prefix(orgs):
    a, _ = orgs
    stored = db.session.scalars(sa.select(ApiKey)).all()
    assert len(stored) == 2
    for key in stored:
        assert len(key.key_hash) == 64 and key.prefix.startswith("ca_")
    assert a.key not in repr([(k.key_hash, k.prefix, k.name) for k in stored])
    assert {e.action for e in db.session.scalars(sa.select(AuditEvent))} >= {"api_key.create"}


def test_the_rate_limit_answers_429_per_key(app, client, orgs):
    a, b = orgs
    app.extensions["course_app_api_limiter"] = (
        app.extensions["course_app_api_limiter"][0], __import__("limits").parse("3/minute"))
    codes = [client.get("/api/v1/courses", headers=bearer(a.key)).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    limited = client.get("/api/v1/courses", headers=bearer(a.key))
    assert limited.is_json and limited.json["code"] == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/courses", headers=bearer(b.key)).status_code == 200  # per key


def _all(client: Any, resource: str, key: str, **query: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = dict(query)
    for _ in range(50):
        response = client.get(f"/api/v1/{resource}", headers=bearer(key), query_string=params)
        assert response.status_code == 200, response.json
        items += response.json["items"]
        if response.json["next_cursor"] is None:
            return items
        params = {**query, "cursor": response.json["next_cursor"]}
    raise AssertionError("no last page")


def test_a_key_never_sees_another_organisations_data(client, orgs):
    a, b = orgs
    for mine, other in ((a, b), (b, a)):
        assert [o["slug"] for o in _all(client, "organisations", mine.key)] == \
            [mine.organisation.slug]
        assert [c["slug"] for c in _all(client, "cohorts", mine.key)] == [mine.cohort.slug]
        trainees = _all(client, "trainees", mine.key)
        assert {t["email"] for t in trainees} == {u.email for u in mine.trainees}
        assert not {t["user_id"] for t in trainees} & {u.id for u in other.trainees}
        assert sorted(x["id"] for x in _all(client, "attempts", mine.key)) == mine.attempts
        assert [c["code"] for c in _all(client, "certificates", mine.key)] == [mine.certificate]
        # another organisation's cohort, named in a filter, gives nothing
        assert _all(client, "trainees", mine.key, cohort=other.cohort.slug) == []
        assert _all(client, "attempts", mine.key, cohort=other.cohort.slug) == []


def test_items_carry_progress_grades_and_status(client, orgs):
    a, _ = orgs
    trainee = _all(client, "trainees", a.key)[0]
    assert trainee["cohort"] == a.cohort.slug and trainee["progress"]["lessons_total"] > 0
    assert trainee["progress"]["lessons_read"] == 0
    attempt = _all(client, "attempts", a.key)[0]
    assert attempt["percent"] == 80 and attempt["score"] == 8 and attempt["status"] == "finished"
    assert attempt["passed"] is (attempt["pass_score"] <= 80)
    certificate = _all(client, "certificates", a.key)[0]
    assert certificate["status"] == "valid"
    assert certificate["verify_url"] == f"https://khoahoc.example.vn/verify/{a.certificate}"


def test_cursor_pages_cover_everything_once(client, orgs):
    a, _ = orgs
    first = client.get("/api/v1/trainees?limit=1", headers=bearer(a.key)).json
    assert len(first["items"]) == 1 and first["next_cursor"]
    paged = _all(client, "trainees", a.key, limit=1)
    assert len(paged) == 3 and len({t["id"] for t in paged}) == 3
    assert paged == _all(client, "trainees", a.key, limit=500)


def test_a_cursor_is_opaque_and_bound_to_its_filters(client, orgs):
    a, b = orgs
    cursor = client.get("/api/v1/trainees?limit=1", headers=bearer(a.key)).json["next_cursor"]
    for bad in ("eyJhIjo1fQ", cursor[:-2] + "xx"):
        response = client.get(f"/api/v1/trainees?cursor={bad}", headers=bearer(a.key))
        assert response.status_code == 400 and "cursor" in response.json["errors"]
    # with other filters, or another organisation's key, it is refused
    other = client.get("/api/v1/trainees", headers=bearer(a.key),
                       query_string={"cursor": cursor, "updated_since": "2020-01-01T00:00:00Z"})
    assert other.status_code == 400
    assert client.get(f"/api/v1/trainees?cursor={cursor}",
                      headers=bearer(b.key)).status_code == 400


def test_malformed_parameters_answer_400_naming_them(client, orgs):
    a, _ = orgs
    for query, name in (("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"),
                        ("updated_since=yesterday", "updated_since"),
                        ("updated_since=2026-01-01T00:00:00", "updated_since")):
        response = client.get(f"/api/v1/attempts?{query}", headers=bearer(a.key))
        assert response.status_code == 400, query
        assert name in response.json["errors"] and name in response.json["message"]


def test_updated_since_gives_what_changed(client, orgs):
    a, _ = orgs
    since = earlier(0).isoformat()
    for resource in ("cohorts", "attempts", "certificates", "trainees", "organisations"):
        assert _all(client, resource, a.key, updated_since=since) == [], resource
    with writing():
        certificate = db.session.scalar(sa.select(Certificate).where(
            Certificate.code == a.certificate))
        certificate.status, certificate.revoked_at = "revoked", earlier(0)
        user = db.session.get(User, a.trainees[1].id)
        user.unit = "Phòng mới"
        db.session.commit()
    changed = _all(client, "certificates", a.key, updated_since=since)
    assert [(c["code"], c["status"]) for c in changed] == [(a.certificate, "revoked")]
    trainees = _all(client, "trainees", a.key, updated_since=since)
    assert [(t["user_id"], t["unit"]) for t in trainees] == [(a.trainees[1].id, "Phòng mới")]
    everything = _all(client, "attempts", a.key, updated_since=earlier(60).isoformat())
    assert len(everything) == 3


def test_using_a_key_records_its_last_use_without_a_write_in_the_request(client, orgs):
    a, _ = orgs
    assert client.get("/api/v1/courses", headers=bearer(a.key)).status_code == 200
    jobs.wait_in_process()
    db.session.remove()
    key = db.session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == keys.hash_key(a.key)))
    assert key.last_used_at is not None


def test_a_page_runs_a_fixed_number_of_queries(client, orgs, count_queries, make_user):
    a, b = orgs
    counts = {}
    for org in (a, b):  # three trainees and two
        client.get("/api/v1/courses", headers=bearer(org.key))
        jobs.wait_in_process()  # the key's last use is written by a job: not counted here
        for resource in RESOURCES:
            with count_queries() as queries:
                assert client.get(f"/api/v1/{resource}",
                                  headers=bearer(org.key)).status_code == 200
            counts.setdefault(resource, set()).add(len(queries))
    assert all(len(found) == 1 for found in counts.values()), counts
    assert max(next(iter(found)) for found in counts.values()) <= 7, counts
