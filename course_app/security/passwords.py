"""Password hashing with argon2id. Passwords are NFC-normalised first so that the same
Vietnamese password typed on any keyboard verifies."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
# Every password is hashed with `_hasher`, one-time passwords too: a bulk import hashes them
# in a background job (people/password_batch.py), so no request waits for 500 hashes.
# LEGACY_ONE_TIME_HASHER is OWASP's minimum profile (19 MiB, t=2, p=1), which bulk imports
# used before migration 0014; nothing is hashed with it any more, but such hashes may still
# be stored (until their owners choose a password), so a failed check still pays for it.
LEGACY_ONE_TIME_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
ONE_TIME_HASHER = LEGACY_ONE_TIME_HASHER  # the former name, for old imports and tests
# Every profile a stored hash may have. A failed check verifies against one hash of each, so
# it costs the same whether the account is unknown, disabled, on a legacy one-time hash or on
# a password of its own (a lone cheap hash told one-time accounts apart: 38 ms against 145).
PROFILES = (_hasher, LEGACY_ONE_TIME_HASHER)
# Password states that are not hashes (they never verify): an imported account whose one-time
# password is still being hashed by the batch job of that id, and an invited account whose
# owner has not yet chosen a password through the mailed link.
PENDING_PREFIX = "!pending:"
INVITED = "!invited"


def pending_hash(batch_id: int) -> str:
    return f"{PENDING_PREFIX}{batch_id}"


def is_pending(password_hash: str | None) -> bool:
    return bool(password_hash) and str(password_hash).startswith(PENDING_PREFIX)


# A hash of a throw-away password in each profile, made at import: the first failed sign-in
# of a process costs what every other one costs.
_DUMMIES = tuple(hasher.hash("not-a-real-password") for hasher in PROFILES)


def _profile_of(password_hash: str) -> int | None:
    try:
        found = extract_parameters(password_hash)
    except InvalidHashError:
        return None
    for index, hasher in enumerate(PROFILES):
        wanted = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
        if (found.time_cost, found.memory_cost, found.parallelism) == wanted:
            return index
    return None


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


MIN_LENGTH = 10
MAX_LENGTH = 256


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> str:
    return _hasher.hash(_normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Without a hash (unknown or disabled account) a dummy of
    the default profile is checked; whenever the answer is False, a dummy of every other
    profile is checked too: each failure costs one verification per profile."""
    password = _normalise(password)
    used = _profile_of(password_hash) if password_hash else 0
    if password_hash and _verifies(password_hash, password):
        return True
    if not password_hash:
        _verifies(_DUMMIES[0], password)
    for index in range(len(PROFILES)):
        if index != used:
            _verifies(_DUMMIES[index], password)
    return False


def password_problem(password: str) -> str | None:
    """A reason the password is not acceptable (a message id), or None."""
    length = len(_normalise(password))
    if length < MIN_LENGTH:
        return "too_short"
    if length > MAX_LENGTH:
        return "too_long"
    return None
