"""course_app: a Vietnamese-first e-learning and quiz platform. The factory only wires things."""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import config as app_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app_config.load(app, config)
    _init_extensions(app)
    from .security.requests import install_converters

    install_converters(app)  # before the blueprints add their <int:…> rules
    _register_blueprints(app)
    from . import cli, web

    web.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from pathlib import Path

    from . import database, i18n, models  # noqa: F401  (models register their tables)
    from .extensions import csrf, db, login_manager, migrate
    from .security import sessions

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("DATABASE_SCHEMA"),
        app.config["DB_POOL_SIZE"], app.config["DB_MAX_OVERFLOW"],
    )
    db.init_app(app)
    database.configure_engine(app)
    from .progress import content_generation

    content_generation.install()
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    i18n.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for name in ("accounts", "learn", "quiz", "certificates", "health", "reports", "grading",
                 "author", "admin", "notify", "schedule", "organisations", "cohorts"):
        app.register_blueprint(import_module(f".{name}", __name__).bp)
    import_module(".api", __name__).init_app(app)  # the REST API and its key page
