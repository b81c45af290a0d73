"""Deterministic, seeded shuffling and drawing (the same seed always gives the same result).

Seeds come from an HMAC of the attempt's identity, so a trainee cannot predict another
attempt's order; the generator itself only needs to be reproducible, not cryptographic.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_SEED_MASK = (1 << 63) - 1  # fits a signed 64-bit database column


def _digest_seed(key: bytes, message: str) -> int:
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") & _SEED_MASK


def attempt_seed(user_id: int, quiz_id: int, attempt_number: int, secret: str) -> int:
    """A stable 63-bit seed for one attempt, derived with HMAC-SHA256 from a server secret."""
    if not secret:
        raise ValueError("attempt_seed needs a non-empty secret")
    return _digest_seed(secret.encode("utf-8"), f"attempt:{user_id}:{quiz_id}:{attempt_number}")


def sub_seed(seed: int, label: str) -> int:
    """A seed for one part of an attempt (e.g. one question key), derived from the attempt seed."""
    return _digest_seed(str(seed).encode("ascii"), f"sub:{label}")


def rng(seed: int) -> random.Random:
    """A reproducible generator for presentation order only (never for secrets)."""
    # Reproducible presentation order, not a secret: the seed itself comes from an HMAC.
    return random.Random(seed)  # noqa: S311  # nosec B311


def shuffled(items: Sequence[T], seed: int) -> list[T]:
    """A shuffled copy of `items`; the same seed gives the same order."""
    result = list(items)
    rng(seed).shuffle(result)
    return result


def draw(keys: Sequence[str], n: int | None, seed: int) -> list[str]:
    """`n` keys drawn at random, kept in their original order (all when n is None or >= len)."""
    if n is None or n >= len(keys):
        return list(keys)
    if n < 0:
        raise ValueError("cannot draw a negative number of questions")
    chosen = set(rng(seed).sample(range(len(keys)), n))
    return [key for index, key in enumerate(keys) if index in chosen]


def shuffle_avoiding(items: Sequence[T], seed: int, bad: Callable[[list[T]], bool]) -> list[T]:
    """Shuffle `items` so that `bad(order)` is false, whenever some permutation allows it.

    Tries seeded shuffles, then every rotation; returns the last try when nothing else works.
    """
    generator = rng(seed)
    result = list(items)
    for _ in range(20):
        generator.shuffle(result)
        if not bad(result):
            return result
    for _ in range(len(result)):
        result = result[1:] + result[:1]
        if not bad(result):
            return result
    return result
