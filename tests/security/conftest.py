"""A small world for access tests: one course with a cohort and the objects of one trainee
(an attempt, a certificate), seen by every kind of visitor. Accounts share one precomputed
hash and sign in by session cookie, so building the world costs no password hashing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from course_app import create_app
from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.extensions import db
from course_app.models import (
    Cohort,
    Course,
    Enrolment,
    Lesson,
    Question,
    Quiz,
    User,
    cohort_trainer,
)
from course_app.people import accounts
from course_app.quiz import attempts, starting
from course_app.security.passwords import hash_password

from ..helpers import PASSWORD, submit

ROLES = ("anonymous", "owner", "peer", "outsider", "cohort_trainer", "foreign_trainer", "admin")
ACCOUNT_ROLES = {"owner": "trainee", "peer": "trainee", "outsider": "trainee",
                 "cohort_trainer": "trainer", "foreign_trainer": "trainer", "admin": "admin"}


@pytest.fixture(scope="session")
def shared_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    app: Flask
    users: dict[str, User]
    values: dict[str, Any]  # URL argument name → a value that belongs to the owner's cohort
    clients: dict[str, FlaskClient] = field(default_factory=dict)


def fast_login(client: FlaskClient, user: User) -> FlaskClient:
    """What a successful sign-in leaves in the session, without verifying a password."""
    now = int(time.time())
    with client.session_transaction() as session:
        session.update({"_user_id": user.get_id(), "_fresh": True, "started": now,
                        "seen": now})
    return client


def _account(key: str, password_hash: str) -> User:
    user = User(email=f"{key.replace('_', '-')}@example.vn", full_name=f"Nguyễn Văn {key}",
                role=ACCOUNT_ROLES[key], password_hash=password_hash, unit="Sở Văn hóa")
    db.session.add(user)
    return user


def _finished_attempt(user: User, quiz: Quiz) -> int:
    attempt = starting.start_attempt(user, quiz)
    submit(attempt, {"q-e1": ["Một kế hoạch ngắn."]})
    return attempt.id


def build_world(app: Flask, password_hash: str) -> World:
    with writing():
        course = accounts.get_course("demo")
        cohort = accounts.create_cohort("lop-1", "Lớp 1", "demo")
        other = Course(slug="khac", title={"vi": "Khóa khác", "en": "Other"})
        db.session.add(other)
        db.session.flush()
        foreign = Cohort(slug="lop-khac", name="Lớp khác", course_id=other.id)
        db.session.add(foreign)
        users = {key: _account(key, password_hash) for key in ACCOUNT_ROLES}
        db.session.flush()
        for key in ("owner", "peer"):
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=users[key].id))
        db.session.execute(sa.insert(cohort_trainer), [
            {"cohort_id": cohort.id, "user_id": users["cohort_trainer"].id},
            {"cohort_id": foreign.id, "user_id": users["foreign_trainer"].id}])
        quiz = attempts.get_quiz(course.id, "reflection")
        attempt_id = _finished_attempt(users["owner"], quiz)
        code = certificates._issue(users["owner"], course, 90.0, "test", None).code
        db.session.commit()
    values = {"course_slug": "demo", "lesson_slug": "tong-quan", "quiz_slug": "reflection",
              "name": "chu-trinh.svg", "attempt_id": attempt_id, "code": code,
              "cohort_slug": "lop-1", "user_id": users["owner"].id, "quiz_id": quiz.id,
              "filename": "css/app.css", "item_id": course.id, "kind": "course", "number": 1,
              **_content_ids(course.id, quiz.id)}
    return World(app, users, values)


def _content_ids(course_id: int, quiz_id: int) -> dict[str, int]:
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course_id,
                                                       Lesson.slug == "tong-quan"))
    question = db.session.scalar(sa.select(Question.id).where(Question.quiz_id == quiz_id))
    return {"lesson_id": lesson.id, "module_id": lesson.module_id, "question_id": question}


@pytest.fixture
def world(app: Flask, loaded: Any, shared_hash: str) -> World:
    made = build_world(app, shared_hash)
    made.clients["anonymous"] = app.test_client()
    for key, user in made.users.items():
        made.clients[key] = fast_login(app.test_client(), user)
    return made


# --- a SQLite app, whatever database the rest of the suite runs on ------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "DATABASE_SCHEMA": None})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return path


@pytest.fixture
def sqlite_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    import shutil

    path = tmp_path / "course.db"
    shutil.copyfile(sqlite_template, path)
    application = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "DATABASE_URL": f"sqlite:///{path}", "DATABASE_SCHEMA": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    application.instance_path = str(tmp_path / "instance")

    @application.teardown_request
    def _fresh_globals(_error: BaseException | None) -> None:
        for name in list(g):  # as in tests/conftest.py: no request leaks into the next
            g.pop(name)
        db.session.remove()

    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


# --- an app with settings of its own, on the suite's database -----------------------------------

@pytest.fixture
def make_app(database_template: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    """make_app(PROXY_COUNT=1, ...) → a fresh app like the `app` fixture, with overrides."""
    import shutil

    from ..conftest import PG_URL, _truncate_all

    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "TESTING": True, "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_URL": "https://khoahoc.example.vn",
        }
        if PG_URL:
            config.update(database_template)
        else:
            path = tmp_path / f"course-{len(made)}.db"
            shutil.copyfile(database_template["template"], path)
            config["DATABASE_URL"] = f"sqlite:///{path}"
        application = create_app({**config, **overrides})
        application.instance_path = str(tmp_path / "instance")

        @application.teardown_request
        def _fresh_globals(_error: BaseException | None) -> None:
            for name in list(g):
                g.pop(name)
            db.session.remove()

        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.session.remove()
            if PG_URL and application.config["DATABASE_URL"] == PG_URL:
                _truncate_all()
            db.engine.dispose()
