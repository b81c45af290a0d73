"""Security headers on every kind of response (SECURITY.md 14): HTML, JSON, PDF, CSV, images,
static files, redirects and every error; a strict CSP with no inline script anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_app.security.headers import complete_policy

from ..helpers import csrf, post
from .conftest import World

TEMPLATES = Path(__file__).resolve().parents[2] / "course_app" / "templates"
STATIC_JS = Path(__file__).resolve().parents[2] / "course_app" / "static" / "js"
REQUIRED = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")


def assert_secure_headers(response, label: str) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    for directive in REQUIRED:
        assert directive in policy, f"{label}: {directive} missing from {policy!r}"
    script = re.search(r"(?:script-src|default-src)\s([^;]*)", policy)
    assert script and "unsafe-inline" not in script.group(1) and "unsafe-eval" not in policy, \
        f"{label}: {policy}"
    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer",
                                              "strict-origin-when-cross-origin"), label
    assert headers.get("X-Frame-Options") == "DENY", label


def _responses(world: World) -> dict[str, object]:
    owner, admin, anonymous = (world.clients[k] for k in ("owner", "admin", "anonymous"))
    code, attempt = world.values["code"], world.values["attempt_id"]
    return {
        "html page": owner.get("/"),
        "html form": anonymous.get("/login"),
        "redirect": anonymous.get("/"),
        "json": anonymous.get("/healthz"),
        "json certificate": anonymous.get(f"/verify/{code}.json"),
        "pdf": owner.get(f"/certificates/{code}.pdf"),
        "csv": post(admin, "/admin/audit.csv"),
        "svg image": owner.get("/courses/demo/media/chu-trinh.svg"),
        "static css": anonymous.get("/static/css/app.css"),
        "static js": anonymous.get("/static/js/app.js"),
        "review": owner.get(f"/attempts/{attempt}/review"),
        "404 page": anonymous.get("/no-such-page"),
        "404 json": anonymous.get("/verify/unknown-code.json"),
        "403": owner.get("/admin/users"),
        "401 json": anonymous.get("/certificates/x.pdf", headers={"Accept": "application/json"}),
        "405": anonymous.get("/logout"),
        "400 csrf": anonymous.post("/login", data={"email": "a@b.vn", "password": "x"}),
    }


def test_every_kind_of_response_carries_the_headers(world: World):
    for label, response in _responses(world).items():
        assert response.status_code < 500, label
        assert_secure_headers(response, label)
        response.close()


def test_kinds_are_what_they_claim(world: World):
    responses = _responses(world)
    assert responses["pdf"].headers["Content-Type"] == "application/pdf"
    assert responses["json"].is_json and responses["404 json"].status_code == 404
    assert responses["csv"].headers["Content-Type"].startswith("text/csv")
    assert responses["svg image"].headers["Content-Type"] == "image/svg+xml"
    assert responses["405"].status_code == 405 and responses["400 csrf"].status_code == 400
    for response in responses.values():
        response.close()


def test_server_errors_and_throttled_sign_ins_carry_the_headers(app, client, trainee):
    from course_app.security.access import access

    app.add_url_rule("/boom", "boom", access("public")(lambda: 1 / 0))
    assert_secure_headers(client.get("/boom"), "500")
    for _ in range(10):
        post(client, "/login", {"email": trainee.email, "password": "wrong password!"})
    throttled = post(client, "/login", {"email": trainee.email, "password": "wrong password!"})
    assert throttled.status_code == 429
    assert_secure_headers(throttled, "429")


def test_pages_with_answers_or_scores_are_never_cached(world: World):
    owner, trainer = world.clients["owner"], world.clients["cohort_trainer"]
    attempt, code = world.values["attempt_id"], world.values["code"]
    for label, response in {
        "attempt": owner.get(f"/attempts/{attempt}"),
        "review": owner.get(f"/attempts/{attempt}/review"),
        "dashboard": owner.get("/"),
        "certificate": owner.get(f"/certificates/{code}.pdf"),
        "report": trainer.get("/reports/cohorts/lop-1"),
        "admin": world.clients["admin"].get("/admin/users"),
        "password": owner.get("/account/password"),
    }.items():
        assert response.headers["Cache-Control"] == "no-store", label


def test_static_files_are_long_cached_only_when_fingerprinted(client):
    html = client.get("/login").get_data(as_text=True)
    fingerprinted = re.search(r'href="(/static/css/app[^"]+)"', html).group(1)
    assert fingerprinted != "/static/css/app.css"
    cached = client.get(fingerprinted)
    assert cached.status_code == 200 and "immutable" in cached.headers["Cache-Control"]
    cached.close()
    plain = client.get("/static/css/app.css")
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    plain.close()


def test_a_views_own_policy_keeps_the_required_directives():
    narrowed = complete_policy("default-src 'none'; style-src 'unsafe-inline'")
    for directive in REQUIRED:
        assert directive in narrowed
    assert complete_policy(narrowed) == narrowed


def test_hsts_in_production_or_over_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


# Mail bodies (templates/mail/) are never served by the app, so no CSP applies to them, and mail
# clients ignore linked stylesheets: they keep their styles inline. No script, though.
PAGES = sorted(p for p in TEMPLATES.rglob("*.html") if p.relative_to(TEMPLATES).parts[0] != "mail")


def test_mail_templates_hold_no_script_or_handler():
    for template in (TEMPLATES / "mail").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script", text, re.IGNORECASE), template
        assert not EVENT_HANDLER.search(text), template


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_hold_no_inline_script_handler_or_style(template: Path):
    """The CSP would block them; they must live in static files. (Inline SVG drawn by
    templates is markup, not script.)"""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>"
    assert not EVENT_HANDLER.search(text), "event-handler attribute"
    assert not STYLE_ATTRIBUTE.search(text), "style= attribute"
    assert "javascript:" not in text.lower()


def test_rendered_pages_hold_no_inline_script(world: World):
    for role in ("owner", "cohort_trainer", "admin"):
        client = world.clients[role]
        for url in ("/", "/courses/demo", "/courses/demo/lessons/tong-quan", "/admin/users",
                    "/reports/", "/login", "/verify"):
            html = client.get(url).get_data(as_text=True)
            assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html), url
    assert csrf(world.clients["owner"])


def test_every_page_a_signed_in_visitor_gets_is_never_stored(world: World):
    """Issue 18 item 16: the quiz intro lists every attempt's score, the course outline each
    quiz's grade; only what the visitor chose to cache (media) and static files differ."""
    owner = world.clients["owner"]
    for url in ("/courses/demo/quizzes/reflection", "/courses/demo",
                "/courses/demo/lessons/tong-quan"):
        response = owner.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert world.clients["anonymous"].get("/login").headers["Cache-Control"] == \
        "private, no-cache"
