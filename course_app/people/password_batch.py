"""One-time passwords hashed at full strength in a background job (SECURITY promise 1, no
exception): an import commits its new accounts with a password state that cannot sign in
(`!pending:<batch id>`) and hands the passwords to `hash_chunk`, which hashes a few at a time.

The passwords travel in the job's arguments only, sealed (Fernet: AES-128-CBC + HMAC-SHA256)
with a key derived from SECRET_KEY, and expire after SEAL_HOURS: the database never holds
them, and a Redis that is read (or its failed-job registry) shows ciphertext. Each chunk is a
job of its own (one unit of work): it hashes up to PASSWORD_BATCH_CHUNK passwords, writes them
only onto accounts still pending for this batch (a trainer's reset in between wins; a chunk
run twice changes nothing more), stores the progress, then queues the rest, sealed afresh.
A worker killed mid-chunk leaves that chunk pending; the queue runs it again."""

from __future__ import annotations

import base64
import json
import os
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from .. import jobs
from ..extensions import db
from ..models import PasswordBatch, User
from ..models.types import utcnow
from ..security.passwords import hash_password, pending_hash
from . import audit

SEAL_HOURS = 24
DEFAULT_CHUNK = 25


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"course_app",
               info=b"course_app.password_batch").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(pairs: list[tuple[int, str]]) -> str:
    """The (user id, one-time password) pairs, encrypted and authenticated."""
    return _fernet().encrypt(json.dumps(pairs).encode()).decode("ascii")


def unseal(sealed: str) -> list[tuple[int, str]] | None:
    """The pairs, or None when the seal is forged, made with another secret or too old."""
    try:
        raw = _fernet().decrypt(sealed.encode("ascii"), ttl=SEAL_HOURS * 3600)
    except (InvalidToken, ValueError):
        return None
    return [(int(user_id), str(password)) for user_id, password in json.loads(raw)]


def start(users: list[User], passwords: list[str], cohort_id: int | None,
          actor_id: int | None) -> PasswordBatch:
    """Give the new (not yet flushed) `users` the pending state of a new batch and queue the
    hashing of their `passwords` once the caller's transaction commits."""
    batch = PasswordBatch(cohort_id=cohort_id, actor_id=actor_id, total=len(users), done=0,
                          status="running")
    db.session.add(batch)
    db.session.flush()
    for user in users:
        user.password_hash = pending_hash(batch.id)
    db.session.flush()
    if users:
        pairs = [(user.id, password) for user, password in zip(users, passwords, strict=True)]
        jobs.enqueue(hash_chunk, batch_id=batch.id, sealed=seal(pairs))
    else:
        batch.status, batch.finished_at = "done", utcnow()
    return batch


def _hash_all(passwords: list[str]) -> list[str]:
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:  # argon2 releases the GIL
        return list(pool.map(hash_password, passwords))


def _remaining(batch_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.password_hash == pending_hash(batch_id))) or 0


def hash_chunk(batch_id: int, sealed: str) -> None:
    """The job: hash the next chunk of the batch, store the progress, queue the rest."""
    batch = db.session.get(PasswordBatch, batch_id)
    if batch is None or batch.status != "running":
        return
    pairs = unseal(sealed)
    if pairs is None:
        batch.status, batch.finished_at = "failed", utcnow()
        batch.error = "the sealed passwords could not be read (expired or another secret key)"
        audit.record("cohort.passwords_failed", batch.actor_id, f"cohort:{batch.cohort_id}",
                     batch_id=batch.id, remaining=_remaining(batch.id))
        return
    size = max(1, int(current_app.config.get("PASSWORD_BATCH_CHUNK") or DEFAULT_CHUNK))
    chunk, rest = pairs[:size], pairs[size:]
    marker = pending_hash(batch.id)
    for (user_id, _password), digest in zip(chunk, _hash_all([p for _, p in chunk]),
                                            strict=True):
        db.session.execute(sa.update(User).where(User.id == user_id,
                                                 User.password_hash == marker)
                           .values(password_hash=digest)
                           .execution_options(synchronize_session=False))
    batch.done = batch.total - _remaining(batch.id)
    if rest:
        jobs.enqueue(hash_chunk, batch_id=batch.id, sealed=seal(rest))
        return
    batch.done, batch.status, batch.finished_at = batch.total, "done", utcnow()
    audit.record("cohort.passwords_ready", batch.actor_id, f"cohort:{batch.cohort_id}",
                 batch_id=batch.id, accounts=batch.total)


def progress(batch_id: int) -> PasswordBatch | None:
    return db.session.get(PasswordBatch, batch_id)

