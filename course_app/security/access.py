"""Every route declares who may use it. A gate before each request enforces the role part;
views check ownership (enrolment, the attempt's owner) on the objects they load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

# public: anyone; signed_in: any account; enrolled / owner: signed in, and the view checks the
# object; trainer: trainers and admins; admin: admins only; api_key: no session at all, an API
# key checked by the API's own blueprint (course_app/api/auth.py), 401 without one.
POLICIES = ("public", "signed_in", "enrolled", "owner", "trainer", "admin", "api_key")
PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "static", "auth.set_language"}


def access(policy: str) -> Callable[[F], F]:
    if policy not in POLICIES:
        raise ValueError(f"unknown access policy {policy!r}")

    def mark(view: F) -> F:
        view._access_policy = policy  # type: ignore[attr-defined]
        return view

    return mark


def policy_of(app: Flask, endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return "public"
    view = app.view_functions.get(endpoint)
    return getattr(view, "_access_policy", None)


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def enforce(app: Flask) -> Any:
    if request.endpoint is None:  # 404 and 405 are answered by Flask itself
        return None
    policy = policy_of(app, request.endpoint)
    if policy is None:
        abort(403)  # fail closed: a route without a declared policy serves nobody
    if policy in ("public", "api_key"):
        return None
    if not current_user.is_authenticated:
        if _wants_json() or request.method != "GET":
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_EXEMPT:
        return redirect(url_for("auth.change_password"))
    if policy == "trainer" and not current_user.is_trainer:
        abort(403)
    if policy == "admin" and not current_user.is_admin:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(lambda: enforce(app))
