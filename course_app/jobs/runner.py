"""Running one job: its own app context and unit of work, one commit at the end (one of the
three places that commit, with transaction.py and cli/common.py), then the work it started."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from flask import Flask

from ..database import writing
from ..extensions import db
from ..transaction import run_after_commit


class Retry(Exception):
    """Raised by a job that recorded its own failure (a mail_log row marked failed): the
    runner keeps what it wrote, commits, then lets the queue retry the job."""


def job_name(function: Callable[..., Any]) -> str:
    name = f"{function.__module__}:{function.__qualname__}"
    if not name.startswith("course_app.") or "<" in name:
        raise ValueError(f"{name} cannot be a job: use a module-level function of course_app")
    return name


def resolve(name: str) -> Callable[..., Any]:
    module, _, attribute = name.partition(":")
    if not module.startswith("course_app."):
        raise ValueError(f"{name} is not a course_app job")
    found: Any = import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


def run(app: Flask, name: str, arguments: dict[str, Any]) -> None:
    """Run the job; on any error roll back and raise (a queue retries it)."""
    with app.app_context(), writing():
        retry: Retry | None = None
        try:
            try:
                resolve(name)(**arguments)
            except Retry as error:  # keep what the job recorded of its failure
                retry = error
            db.session.commit()
            if retry is not None:
                raise retry
        except BaseException:
            db.session.rollback()
            raise
        finally:
            run_after_commit()
            db.session.remove()


def run_logged(app: Flask, name: str, arguments: dict[str, Any]) -> None:
    """For the in-process runner: a failure is logged, never raised into the thread pool."""
    try:
        run(app, name, arguments)
    except Exception:
        app.logger.exception("job %s failed", name)
