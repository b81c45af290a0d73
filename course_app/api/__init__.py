"""The read-only REST API for personnel-office systems (/api/v1/, resources.py) and the page
where admins manage its keys (/admin/api-keys, views.py). flask-smorest writes the OpenAPI 3.1
document from the API's views and schemas (see docs/integration.md for why this library)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from . import auth
from .resources import bp as api_bp
from .views import bp

__all__ = ["bp", "init_app"]

SPEC = {
    "title": "course_app API",
    "version": "1.0",
    "openapi_version": "3.1.0",
    "info": {"description": "Read-only data of one organisation for personnel-office systems: "
                            "authenticate with `Authorization: Bearer <key>` (a key an admin "
                            "makes at /admin/api-keys)."},
    "security": [{"apiKey": []}],
}


def init_app(app: Flask) -> None:
    auth.init_app(app)
    api = Api(spec_kwargs=dict(SPEC))
    api.init_app(app)  # no OPENAPI_URL_PREFIX: no documentation routes of its own
    api.spec.components.security_scheme("apiKey", {
        "type": "http", "scheme": "bearer",
        "description": "An API key made at /admin/api-keys (it starts with `ca_`)."})
    api.register_blueprint(api_bp)
    app.register_blueprint(bp)
    app.extensions["course_app_api"] = api
