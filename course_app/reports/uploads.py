"""Files kept on the server between two requests of the enrolment flow: the uploaded roster
(between the preview and the confirmation) and the one-time passwords of an import (until they
are printed). The browser only holds a token, signed and time-limited, naming a random file under
instance/roster/ (or COURSE_APP_ROSTER_DIR) and bound to the trainer and the cohort; it never
sends the data back."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

FOLDER = "roster"
MAX_AGE = {"upload": 3600, "credentials": 8 * 3600}  # seconds
NAME = re.compile(r"^[0-9a-f]{32}$")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="course_app.roster")


def _folder() -> Path:
    # Several app servers: a directory they all mount (docs/deploy.md), or the preview and the
    # confirmation could land on different servers.
    configured = current_app.config.get("ROSTER_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Delete what has outlived its token, so forgotten files do not pile up."""
    now = time.time()
    for path in folder.glob("*-*"):
        kind = path.name.split("-", 1)[0]
        if now - path.stat().st_mtime > MAX_AGE.get(kind, 0):
            path.unlink(missing_ok=True)


def keep(kind: str, data: bytes, user_id: int, cohort_id: int, **extra: Any) -> str:
    """Store `data`; returns the token that gives it back to this user for this cohort."""
    folder = _folder()
    _sweep(folder)
    name = secrets.token_hex(16)
    descriptor = os.open(folder / f"{kind}-{name}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return str(_signer().dumps({"k": kind, "n": name, "u": user_id, "c": cohort_id, **extra}))


def _payload(kind: str, token: str, user_id: int, cohort_id: int) -> dict[str, Any] | None:
    try:
        payload = _signer().loads(token, max_age=MAX_AGE[kind])
    except BadSignature:  # also SignatureExpired
        return None
    if (not isinstance(payload, dict) or payload.get("k") != kind
            or payload.get("u") != user_id or payload.get("c") != cohort_id
            or not NAME.match(str(payload.get("n")))):
        return None
    return payload


def fetch(kind: str, token: str, user_id: int, cohort_id: int
          ) -> tuple[bytes, dict[str, Any]] | None:
    """The stored data and the token's payload, or None when unknown, foreign or expired."""
    payload = _payload(kind, token, user_id, cohort_id)
    if payload is None:
        return None
    path = _folder() / f"{kind}-{payload['n']}"
    try:
        return path.read_bytes(), payload
    except FileNotFoundError:
        return None


def forget(kind: str, token: str, user_id: int, cohort_id: int) -> None:
    payload = _payload(kind, token, user_id, cohort_id)
    if payload is not None:
        (_folder() / f"{kind}-{payload['n']}").unlink(missing_ok=True)


def keep_json(kind: str, value: Any, user_id: int, cohort_id: int) -> str:
    return keep(kind, json.dumps(value, ensure_ascii=False).encode(), user_id, cohort_id)


def fetch_json(kind: str, token: str, user_id: int, cohort_id: int) -> Any | None:
    found = fetch(kind, token, user_id, cohort_id)
    return None if found is None else json.loads(found[0])
