"""Every route of app.url_map × every kind of visitor (SECURITY.md 6, 7, 15).

The visitors: anonymous; the trainee who owns the objects in the URL (owner); a trainee of the
same cohort (peer); a trainee of no cohort (outsider); the cohort's trainer; a trainer of
another course's cohort (foreign trainer); an admin. The URL arguments all point at the owner's
objects. What each visitor may get follows from the route's declared policy, so a new route is
checked as soon as it exists."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from course_app.extensions import db
from course_app.security.access import policy_of

from ..helpers import csrf
from .conftest import ROLES, World, build_world, fast_login

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Query values a route may need to show its form (the question type of a new question).
QUERY = {"type": "single"}
UNBOUND = "x-unknown"  # for an argument the world has no value for (a one-time token, say)
# The audit log records reads too (exports are audited), so it is not "state" here.
NOT_STATE = {"audit_event"}


def _rules(app: Flask, write: bool) -> list[Rule]:
    rules = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods or set()
        if write and methods & WRITE_METHODS or not write and "GET" in methods:
            rules.append(rule)
    return sorted(rules, key=lambda r: r.rule)


# Arguments naming a cohort's data (its trainees, their attempts): a trainer of another
# cohort is refused them. Course content (course, quiz, lesson ids) is not cohort data.
COHORT_DATA = {"cohort_slug", "attempt_id", "user_id", "token", "code"}


def _bound_arguments(rule: Rule) -> set[str]:
    return set(rule.arguments) & COHORT_DATA


def _has_args(rule: Rule) -> bool:
    return bool(set(rule.arguments) - {"filename"})


def _url(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    arguments = {name: values.get(name, UNBOUND) for name in rule.arguments}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            items = sorted(converter.items)
            arguments[name] = values.get(name) if values.get(name) in items else (
                "course" if "course" in items else items[0])
        elif isinstance(converter, IntegerConverter) and arguments[name] == UNBOUND:
            arguments[name] = 987654
    return app.url_map.bind("localhost").build(rule.endpoint, {**QUERY, **arguments})


def verdict(policy: str | None, role: str, bound: bool, arguments: bool = False) -> str:
    """login: sent to sign in; refuse: 403/404; allow: not refused; any: only never a 5xx."""
    assert policy is not None
    if policy == "public":
        return "allow"
    if policy == "api_key":  # no session opens the API: 401 without a key, whoever asks
        return "login"
    if role == "anonymous":
        return "login"
    if policy == "signed_in":
        return "allow"
    if policy == "admin":
        return "allow" if role == "admin" else "refuse"
    if policy == "trainer":
        if role in ("owner", "peer", "outsider") or (role == "foreign_trainer" and bound):
            return "refuse"
        if role == "foreign_trainer" and arguments:
            return "any"  # course content of a course they do not teach: each feature decides
        return "allow"
    if policy == "enrolled":  # trainers and admins may preview any course's content
        return {"owner": "allow", "peer": "allow", "outsider": "refuse"}.get(role, "any")
    if policy == "owner":
        return {"owner": "allow", "peer": "refuse", "outsider": "refuse",
                "foreign_trainer": "refuse"}.get(role, "any")
    raise AssertionError(f"unknown policy {policy}")


def problem(response: Any, expected: str, method: str, unbound: bool) -> str | None:
    """What is wrong with the response, or None."""
    status, location = response.status_code, response.headers.get("Location", "")
    if status >= 500:
        return "server error"
    if expected == "login":
        sent_to_login = method == "GET" and status == 302 and location.startswith("/login")
        return None if sent_to_login or status == 401 else "not sent to sign in"
    if expected == "refuse":
        return None if status in (403, 404) else "not refused"
    if expected == "allow":
        if status in (401, 403) or location.startswith("/login?next="):
            return "refused"
        if status == 404 and not unbound:  # only an argument the world cannot name
            return "not found"
        if method == "GET" and status >= 400 and not unbound:
            return "error"
    return None


def check(response: Any, expected: str, method: str, unbound: bool, label: str,
          failures: list[str]) -> None:
    found = problem(response, expected, method, unbound)
    if found:
        failures.append(f"{label}: {found} ({response.status_code})")


def fingerprint() -> str:
    """A digest of every row of every table but the audit log."""
    digest = hashlib.sha256()
    db.session.rollback()
    for table in db.metadata.sorted_tables:
        if table.name in NOT_STATE:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(sa.select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()
    return digest.hexdigest()


def test_every_route_has_a_policy_and_the_matrix_knows_it(app):
    for rule in app.url_map.iter_rules():
        policy = policy_of(app, rule.endpoint)
        assert policy in ("public", "signed_in", "enrolled", "owner", "trainer", "admin",
                          "api_key"), rule
        verdict(policy, "owner", True)


def test_anonymous_reaches_only_public_routes(app):
    public = {rule.rule for rule in app.url_map.iter_rules()
              if policy_of(app, rule.endpoint) == "public"}
    allowed_prefixes = ("/login", "/static/", "/healthz", "/verify", "/language",
                        "/certificates/", "/.well-known/", "/did.json",
                        "/password/forgot", "/password/reset/", "/unsubscribe/", "/invite/",
                        "/organisations/")  # issuer profiles and their images
    # A sign-in that carries the answers of an attempt whose session ended (quiz/recovery.py).
    signing_in_again = {"/attempts/<int:attempt_id>/resume"}
    for path in public - signing_in_again:
        assert path.startswith(allowed_prefixes), f"{path} is public"


def test_get_matrix(world: World):
    app = world.app
    before = fingerprint()
    secret = app.config["SECRET_KEY"]
    failures: list[str] = []
    for rule in _rules(app, write=False):
        policy = policy_of(app, rule.endpoint)
        bound = bool(_bound_arguments(rule))
        unbound = any(name not in world.values for name in rule.arguments)
        url = _url(app, rule, world.values)
        for role in ROLES:
            response = world.clients[role].get(url)
            label = f"GET {url} as {role} ({policy})"
            expected = verdict(policy, role, bound, _has_args(rule))
            check(response, expected, "GET", unbound, label, failures)
            body = response.get_data()
            response.close()  # static files are streamed from an open file
            if secret.encode() in body or b"Traceback" in body:
                failures.append(f"{label}: shows a secret or a traceback")
    assert not failures, "\n".join(failures)
    assert fingerprint() == before, "a GET request changed the database"


def test_refused_writes_change_nothing(world: World):
    app = world.app
    tokens = {role: csrf(client) for role, client in world.clients.items()}
    before = fingerprint()
    checked, failures = 0, []
    for rule in _rules(app, write=True):
        policy = policy_of(app, rule.endpoint)
        bound = bool(_bound_arguments(rule))
        unbound = any(name not in world.values for name in rule.arguments)
        url = _url(app, rule, world.values)
        for role in ROLES:
            expected = verdict(policy, role, bound, _has_args(rule))
            if expected not in ("login", "refuse"):
                continue
            response = world.clients[role].post(url, data={"csrf_token": tokens[role]})
            check(response, expected, "POST", unbound, f"POST {url} as {role} ({policy})",
                  failures)
            checked += 1
    assert not failures, "\n".join(failures)
    assert checked > 20
    assert fingerprint() == before, "a refused request changed the database"


def _write_routes() -> list[str]:
    from course_app import create_app

    probe = create_app({"DATABASE_URL": "sqlite://", "DATABASE_SCHEMA": None})
    return [rule.endpoint for rule in _rules(probe, write=True)]


@pytest.mark.parametrize("endpoint", _write_routes())
def test_allowed_writes_are_not_refused(app, loaded, shared_hash, endpoint):
    """Each state-changing route with a fresh world: whoever the policy admits is admitted,
    least privileged first (an admin's action may end the owner's session). Once one visitor's
    request went through, the object may be gone for the next (a trainee removed): 404 then."""
    world = build_world(app, shared_hash)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    policy = policy_of(app, endpoint)
    unbound = any(name not in world.values for name in rule.arguments)
    url = _url(app, rule, world.values)
    failures: list[str] = []
    done = False
    for role in ROLES:
        expected = verdict(policy, role, bool(_bound_arguments(rule)), _has_args(rule))
        if expected != "allow" or role == "anonymous":
            continue
        client = fast_login(app.test_client(), world.users[role])
        response = client.post(url, data={"csrf_token": csrf(client)})
        response.close()  # a streamed download (certificates.zip) ends its request context
        check(response, "allow", "POST", unbound or done, f"POST {url} as {role} ({policy})",
              failures)
        done = done or response.status_code < 400
    assert not failures, "\n".join(failures)


# One-click unsubscribe (RFC 8058): mail clients POST the link itself, with no cookie or form;
# the signed token in the path is what a forger cannot have (tests/mail/test_notify_reminders).
SIGNED_URL_WRITES = {"/unsubscribe/<token>"}


def test_writes_without_a_csrf_token_are_refused(world: World):
    """SECURITY.md 15: every state-changing route refuses a request without the token, before
    anything else (a signed-in admin included)."""
    app = world.app
    before = fingerprint()
    for rule in _rules(app, write=True):
        if rule.rule in SIGNED_URL_WRITES:
            continue
        url = _url(app, rule, world.values)
        for role in ("anonymous", "owner", "admin"):
            plain = world.clients[role].post(url, data={"q-e1": "x", "role": "admin"})
            forged = world.clients[role].post(url, data={"csrf_token": "forged.token"})
            assert plain.status_code == forged.status_code == 400, f"{url} as {role}"
    assert fingerprint() == before
