"""API keys: made, listed, revoked and recognised. A key is shown once, when it is made; the
database keeps only its SHA-256 (a key is 256 random bits, so a plain hash is enough: there is
nothing to guess that a slow hash would protect) and a visible prefix that tells keys apart.

Using a key never writes in the request (GET never writes, see transaction.py): its
`last_used_at` is written by a job (`touch`), at most once per TOUCH_EVERY per key, which the
request starts with jobs.start_now because it has no transaction to follow."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from .. import jobs
from ..domain.errors import NotFound
from ..extensions import db
from ..models import ApiKey, Organisation, User
from ..models.types import utcnow
from ..people import audit

KEY_PREFIX = "ca_"  # course_app; lets secret scanners and people recognise a key
PREFIX_LENGTH = 11  # "ca_" and the first 8 characters of the secret part
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    secret: str  # the whole key: shown once, never stored


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(organisation: Organisation, name: str, actor: User) -> NewKey:
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(organisation_id=organisation.id, name=name.strip()[:100],
                 prefix=token[:PREFIX_LENGTH], key_hash=hash_key(token), created_by_id=actor.id,
                 created_at=utcnow())
    db.session.add(key)
    db.session.flush()
    audit.record("api_key.create", actor.id, f"api_key:{key.id}", name=key.name,
                 prefix=key.prefix, organisation=organisation.slug)
    return NewKey(key, token)


def revoke_key(key: ApiKey, actor: User) -> bool:
    """Revoke the key (once: a repeat changes nothing and returns False)."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    audit.record("api_key.revoke", actor.id, f"api_key:{key.id}", name=key.name,
                 prefix=key.prefix, organisation_id=key.organisation_id)
    db.session.flush()
    return True


def keys_of(organisation_id: int) -> list[ApiKey]:
    return list(db.session.scalars(sa.select(ApiKey)
                                   .where(ApiKey.organisation_id == organisation_id)
                                   .order_by(ApiKey.revoked_at.is_not(None),
                                             ApiKey.created_at.desc(), ApiKey.id.desc())))


def key_of(organisation_id: int, key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None or key.organisation_id != organisation_id:
        raise NotFound("api_key")
    return key


def authenticate(token: str) -> ApiKey | None:
    """The live key whose hash matches, or None (unknown or revoked)."""
    if not token.startswith(KEY_PREFIX) or len(token) > 200:
        return None
    digest = hash_key(token)
    key = db.session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == digest))
    if key is None or not hmac.compare_digest(key.key_hash, digest) or key.revoked_at:
        return None
    return key


def organisation_archived(key: ApiKey) -> bool:
    return bool(db.session.scalar(sa.select(Organisation.archived)
                                  .where(Organisation.id == key.organisation_id)))


def note_use(key: ApiKey, now: datetime) -> None:
    """Have `last_used_at` written by a job when the stored one is older than TOUCH_EVERY."""
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        jobs.start_now(touch, key_id=key.id, at=now.isoformat())


def touch(key_id: int, at: str) -> None:
    """The job: move the key's `last_used_at` forward (never back: jobs may run out of order)."""
    when = datetime.fromisoformat(at)
    db.session.execute(sa.update(ApiKey)
                       .where(ApiKey.id == key_id,
                              sa.or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < when))
                       .values(last_used_at=when))
