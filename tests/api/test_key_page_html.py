"""The key page, its confirmation and the API reference are valid HTML (the W3C Nu checker,
as the other pages), in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import ApiKey

from ..browser.vnu import validate
from ..helpers import post, sign_in


def test_key_pages_are_valid_html(app, orgs, tmp_path: Path):
    a, _ = orgs
    key_id = db.session.scalar(sa.select(ApiKey.id).where(
        ApiKey.organisation_id == a.organisation.id))
    files = []
    for lang in ("vi", "en"):
        client = app.test_client()
        assert sign_in(client, a.admin.email).status_code == 302
        assert post(client, "/language", {"locale": lang, "next": "/"}).status_code == 302
        pages = {
            "list": client.get("/admin/api-keys"),
            "made": post(client, "/admin/api-keys", {"name": f"Khóa {lang}"}),
            "refused": post(client, "/admin/api-keys", {"name": ""}),
            "confirm": client.get(f"/admin/api-keys/{key_id}/revoke"),
            "reference": client.get("/admin/api-keys/reference"),
        }
        for name, response in pages.items():
            html = response.get_data(as_text=True)
            assert f'<html lang="{lang}">' in html and "</main>" in html, (lang, name)
            path = tmp_path / f"{lang}-{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(path)
        assert re.search(r'id="new-key"', pages["made"].get_data(as_text=True))
    errors = validate(files)
    assert errors == [], "\n".join(errors)
