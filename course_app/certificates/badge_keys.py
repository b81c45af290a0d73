"""The issuer's signing keys for Open Badges: an RSA key (RS256, the algorithm every Open Badges
3.0 verifier must support) and an Ed25519 key (EdDSA), their public JWKs, the JWK set and the
issuer's did:web identifier and DID document.

Each key comes from its setting (COURSE_APP_BADGE_RSA_KEY, COURSE_APP_BADGE_SIGNING_KEY: PEM
text or the path of a PEM file; the Ed25519 one may also be the base64url 32-byte private key),
else from a file in instance/ generated once. Never from anything a request says."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from flask import current_app

from .service import public_base

ALGORITHMS = ("RS256", "EdDSA")
DEFAULT_ALGORITHM = "RS256"
KEY_FILE = "badge-signing-key.pem"  # Ed25519
RSA_KEY_FILE = "badge-rsa-key.pem"
RSA_BITS = 2048  # the minimum of 1EdTech's security framework, and what every verifier reads
_EXTENSION_KEY = "course_app_badge_key"
_EXTENSION_RSA_KEY = "course_app_badge_rsa_key"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


# ------------------------------------------------------------------------------ loading

def _pem_text(configured: str) -> str:
    text = configured.strip()
    if "BEGIN" not in text and os.path.isfile(text):
        text = Path(text).read_text(encoding="ascii")
    return text


def _parse_key(configured: str) -> Ed25519PrivateKey:
    text = _pem_text(configured)
    if "BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    else:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key = Ed25519PrivateKey.from_private_bytes(raw)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("COURSE_APP_BADGE_SIGNING_KEY must be an Ed25519 private key")
    return key


def _parse_rsa_key(configured: str) -> RSAPrivateKey:
    text = _pem_text(configured)
    key = serialization.load_pem_private_key(text.encode("ascii"), password=None) \
        if "BEGIN" in text else None
    if not isinstance(key, RSAPrivateKey) or key.key_size < RSA_BITS:
        raise ValueError(f"COURSE_APP_BADGE_RSA_KEY must be an RSA private key of at least "
                         f"{RSA_BITS} bits, in PEM")
    return key


def _pem(key: Ed25519PrivateKey | RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _instance_file(path: Path, generate: Callable[[], bytes]) -> str:
    """The key file's text, generating it on first use; the first of several workers wins."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # mode 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(generate())
        try:
            os.link(temporary, path)  # atomic, and fails if another worker was first
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return path.read_text(encoding="ascii")


def _instance_key(path: Path) -> Ed25519PrivateKey:
    return _parse_key(_instance_file(path, lambda: _pem(Ed25519PrivateKey.generate())))


def signing_key() -> Ed25519PrivateKey:
    key = current_app.extensions.get(_EXTENSION_KEY)
    if key is None:
        configured = current_app.config.get("BADGE_SIGNING_KEY")
        key = _parse_key(str(configured)) if configured else _instance_key(
            Path(current_app.instance_path) / KEY_FILE)
        current_app.extensions[_EXTENSION_KEY] = key
    return key


def rsa_key() -> RSAPrivateKey:
    key = current_app.extensions.get(_EXTENSION_RSA_KEY)
    if key is None:
        configured = current_app.config.get("BADGE_RSA_KEY")
        key = _parse_rsa_key(str(configured) if configured else _instance_file(
            Path(current_app.instance_path) / RSA_KEY_FILE,
            lambda: _pem(generate_private_key(public_exponent=65537, key_size=RSA_BITS))))
        current_app.extensions[_EXTENSION_RSA_KEY] = key
    return key


# ------------------------------------------------------------------------------ publishing

def _with_thumbprint(members: dict[str, str], alg: str) -> dict[str, str]:
    # RFC 7638 thumbprint: SHA-256 of the required members, sorted, without whitespace.
    thumbprint = b64url(hashlib.sha256(json.dumps(
        members, sort_keys=True, separators=(",", ":")).encode()).digest())
    return {**members, "kid": thumbprint, "use": "sig", "alg": alg}


def public_jwk(alg: str = "EdDSA") -> dict[str, str]:
    if alg == "RS256":
        numbers = rsa_key().public_key().public_numbers()
        return _with_thumbprint({"e": _uint(numbers.e), "kty": "RSA", "n": _uint(numbers.n)},
                                "RS256")
    raw = signing_key().public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
    return _with_thumbprint({"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}, "EdDSA")


def jwks() -> dict[str, Any]:
    return {"keys": [public_jwk(alg) for alg in ALGORITHMS]}


def issuer_did() -> str:
    """did:web of COURSE_APP_PUBLIC_URL: the host (its port as %3A), then any path's segments."""
    parts = urlsplit(public_base())
    host = (parts.hostname or "localhost").lower()
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", host, *segments])


def key_id(alg: str = DEFAULT_ALGORITHM) -> str:
    """The JWS `kid`: a DID URL naming the key's verification method in the DID document."""
    return f"{issuer_did()}#{public_jwk(alg)['kid']}"


def did_document() -> dict[str, Any]:
    did = issuer_did()
    methods = [{"id": key_id(alg), "type": "JsonWebKey2020", "controller": did,
                "publicKeyJwk": public_jwk(alg)} for alg in ALGORITHMS]
    return {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


def sign_compact(header_and_payload: bytes, alg: str) -> bytes:
    """The JWS signature of the signing input with the issuer's key for `alg`."""
    if alg == "RS256":
        return rsa_key().sign(header_and_payload, padding.PKCS1v15(), hashes.SHA256())
    if alg == "EdDSA":
        return signing_key().sign(header_and_payload)
    raise ValueError(f"unsupported algorithm {alg!r}")
