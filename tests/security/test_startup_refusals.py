"""Production refuses to start, and `flask check-deploy` fails, on each unsafe setting whatever
sets it (issue 18, items 5, 9 and 10; SECURITY.md 19): SQLite or in-memory throttling with
several workers (-w, GUNICORN_CMD_ARGS, WEB_CONCURRENCY, with or without gunicorn.conf.py), a
secret of one repeated character, debug mode (COURSE_APP_DEBUG, FLASK_DEBUG, --debug,
--debugger) and a missing public address; each problem gets a line of its own."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import cli

from course_app import create_app
from course_app.config import ConfigurationError
from course_app.security.deploy import check_deployment, command_line_workers

ROOT = Path(__file__).resolve().parents[2]
PG = "postgresql+psycopg://app@127.0.0.1:1/none"  # never connected to: start-up checks only


def _production(tmp_path: Path, **extra: object) -> dict[str, object]:
    return {"ENV_NAME": "production", "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.db", "DATABASE_SCHEMA": None,
            "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_URL": "https://hoc.example.vn",
            **extra}


@pytest.fixture(autouse=True)
def _no_server_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "FLASK_DEBUG", "COURSE_APP_DEBUG"):
        monkeypatch.setenv(name, "")  # recorded, so that what a test sets (`flask --debug`
        monkeypatch.delenv(name)      # sets FLASK_DEBUG in this process) is undone after it


def test_a_safe_single_worker_production_starts(tmp_path):
    assert create_app(_production(tmp_path)).config["ENV_NAME"] == "production"


@pytest.mark.parametrize("change,words", [
    ({"SECRET_KEY": "a" * 64}, "COURSE_APP_SECRET_KEY"),
    ({"SECRET_KEY": "abcd" * 16}, "COURSE_APP_SECRET_KEY"),
    ({"PUBLIC_URL": None}, "COURSE_APP_PUBLIC_URL"),
    ({"PUBLIC_URL": "hoc.example.vn"}, "COURSE_APP_PUBLIC_URL"),
    ({"DEBUG": True}, "Debug mode"),
])
def test_production_refuses_each_unsafe_setting(tmp_path, change, words):
    with pytest.raises(ConfigurationError, match=words):
        create_app(_production(tmp_path, **change))


@pytest.mark.parametrize("variable", ["COURSE_APP_DEBUG", "FLASK_DEBUG"])
def test_production_refuses_debug_from_the_environment(tmp_path, monkeypatch, variable):
    monkeypatch.setenv(variable, "1")
    with pytest.raises(ConfigurationError, match="Debug mode"):
        create_app(_production(tmp_path))


def test_memory_throttling_with_several_workers_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(ConfigurationError, match="throttling") as refused:
        create_app(_production(tmp_path, DATABASE_URL=PG))
    assert "SQLite" not in str(refused.value)
    create_app(_production(tmp_path, DATABASE_URL=PG, RATELIMIT_STORAGE_URI="redis://r:6379/0"))


def test_every_problem_gets_a_line_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with pytest.raises(ConfigurationError) as refused:
        create_app(_production(tmp_path, SECRET_KEY="x" * 40, PUBLIC_URL=None, DEBUG=True))
    lines = str(refused.value).splitlines()
    assert len(lines) == 5
    for words in ("SECRET_KEY", "Debug", "PUBLIC_URL", "SQLite", "throttling"):
        assert any(words in line for line in lines), words


@pytest.mark.parametrize("args,count", [
    ("-w 3", 3), ("-w3", 3), ("--workers 5", 5), ("--workers=2 --threads 4", 2),
    ("--threads 4", None), ("-w", None), ("'unclosed", None),
])
def test_the_worker_count_of_gunicorn_cmd_args(args, count):
    assert command_line_workers({"GUNICORN_CMD_ARGS": args}) == count


SAFE_SQLITE = {
    "ENV_NAME": "production", "DEBUG": False, "SECRET_KEY": secrets.token_urlsafe(48),
    "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024, "SQLALCHEMY_DATABASE_URI": "sqlite:////srv/c.db",
    "PROXY_COUNT": 1, "RATELIMIT_STORAGE_URI": "memory://",
    "PUBLIC_URL": "https://hoc.example.vn",
}


@pytest.mark.parametrize("environ,found", [
    ({"WEB_CONCURRENCY": "1", "GUNICORN_CMD_ARGS": "-w 3"}, {"security.E006", "security.E008"}),
    ({"WEB_CONCURRENCY": "1", "COURSE_APP_DEBUG": "1"}, {"security.E002"}),
    ({"WEB_CONCURRENCY": "1", "FLASK_DEBUG": "true"}, {"security.E002"}),
])
def test_check_deploy_sees_every_source(environ, found):
    errors = {f.id for f in check_deployment(SAFE_SQLITE, environ) if f.level == "error"}
    assert errors == found
    assert check_deployment(SAFE_SQLITE, {"WEB_CONCURRENCY": "1"})[0].level == "warning"


def test_check_deploy_fails_without_a_public_url():
    findings = check_deployment({**SAFE_SQLITE, "PUBLIC_URL": None}, {"WEB_CONCURRENCY": "1"})
    assert [(f.id, f.level) for f in findings if f.id.startswith("security.E")] == [
        ("security.E009", "error")]


def _flask(args: list[str], tmp_path: Path, **env: str | None):
    base = {"COURSE_APP_ENV": "production", "COURSE_APP_SECRET_KEY": secrets.token_urlsafe(48),
            "COURSE_APP_DATABASE_URL": f"sqlite:///{tmp_path}/c.db", "FLASK_APP": None,
            "COURSE_APP_PUBLIC_URL": "https://hoc.example.vn", "COURSE_APP_PROXY_COUNT": "1",
            "COURSE_APP_RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "1"}
    return CliRunner().invoke(cli, ["--app", "course_app", *args], env={**base, **env})


def test_check_deploy_command_fails_on_course_app_debug(tmp_path):
    assert _flask(["check-deploy"], tmp_path).exit_code == 0
    result = _flask(["check-deploy"], tmp_path, COURSE_APP_DEBUG="1")
    assert result.exit_code == 1 and "Debug mode" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["--debug", "run"], ["run", "--debug"],
                                  ["run", "--debugger", "--no-reload"]])
def test_flask_run_never_starts_the_debugger_in_production(tmp_path, monkeypatch, args):
    started: list[object] = []
    monkeypatch.setattr("flask.cli.run_simple", lambda *a, **k: started.append(k))
    result = _flask(args, tmp_path)
    assert started == [] and result.exit_code != 0
    assert "Debug mode" in result.output


def _gunicorn(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is a dependency of course_app"
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("COURSE_APP_", "GUNICORN_", "WEB_CONCURRENCY"))}
    environ.update({"COURSE_APP_ENV": "production", "COURSE_APP_PUBLIC_URL": "https://h.vn",
                    "COURSE_APP_SECRET_KEY": secrets.token_urlsafe(48),
                    "COURSE_APP_DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
                    "COURSE_APP_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                    "PYTHONPATH": str(ROOT), **env})
    return subprocess.run(  # noqa: S603 - fixed arguments, our own virtualenv
        [gunicorn, "-b", "127.0.0.1:0", *args, "course_app:create_app()"], cwd=tmp_path,
        env=environ, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("args,env", [
    (["-c", str(ROOT / "gunicorn.conf.py"), "-w", "2"], {"WEB_CONCURRENCY": "1"}),
    (["-c", str(ROOT / "gunicorn.conf.py")], {"WEB_CONCURRENCY": "1",
                                              "GUNICORN_CMD_ARGS": "--workers 3"}),
    (["-w", "2"], {}),  # no configuration file at all: the workers refuse
    ([], {"GUNICORN_CMD_ARGS": "-w 2"}),
])
def test_gunicorn_refuses_sqlite_under_several_workers_from_any_source(tmp_path, args, env):
    finished = _gunicorn(tmp_path, args, **env)
    assert finished.returncode != 0
    assert "SQLite cannot serve a multi-worker production server" in finished.stderr


def test_any_other_multi_process_server_is_refused_on_each_request(tmp_path):
    """A server gunicorn's checks never see still says it runs several processes."""
    app = create_app(_production(tmp_path))
    client = app.test_client()
    assert client.get("/healthz").status_code != 503
    assert client.get("/healthz", multiprocess=True).status_code == 503
    redis = create_app(_production(tmp_path, DATABASE_URL=PG,
                                   RATELIMIT_STORAGE_URI="redis://r:6379/0"))
    assert not any(f.__name__ == "refuse_several_processes"
                   for f in redis.before_request_funcs[None])
