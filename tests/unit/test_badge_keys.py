"""The Open Badges signing keys (RSA for RS256, Ed25519 for EdDSA): from the settings or generated
once into instance/, published as a JWK set and a did:web document, never with a private part.
Thumbprints are checked against RFC 8037's example and joserfc's own computation."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import RSAKey

from course_app.certificates import badge_keys as keys

# RFC 8037, Appendix A.1 and A.3: an Ed25519 key and its JWK thumbprint.
RFC_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pem(key: Ed25519PrivateKey | rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def test_configured_key_and_rfc8037_thumbprint(app):
    app.config["BADGE_SIGNING_KEY"] = RFC_D
    with app.test_request_context():
        key = keys.public_jwk("EdDSA")
    assert key == {"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "kid": RFC_THUMBPRINT,
                   "use": "sig", "alg": "EdDSA"}
    assert not (Path(app.instance_path) / keys.KEY_FILE).exists()


def test_configured_pem_key_or_pem_file(tmp_path):
    text = pem(Ed25519PrivateKey.from_private_bytes(unb64(RFC_D)))
    assert keys._parse_key(text).public_key().public_bytes_raw() == unb64(RFC_X)
    (tmp_path / "key.pem").write_text(text)
    parsed = keys._parse_key(str(tmp_path / "key.pem"))
    assert parsed.public_key().public_bytes_raw() == unb64(RFC_X)


def test_configured_rsa_key_and_its_thumbprint(app, tmp_path):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa.pem").write_text(pem(private))
    app.config["BADGE_RSA_KEY"] = str(tmp_path / "rsa.pem")
    with app.test_request_context():
        jwk = keys.public_jwk("RS256")
    independent = RSAKey.import_key(pem(private))
    assert jwk["kid"] == independent.thumbprint()
    published = independent.as_dict(private=False)
    assert {k: jwk[k] for k in ("kty", "n", "e")} == {k: published[k] for k in ("kty", "n", "e")}
    assert jwk["alg"] == "RS256" and not (Path(app.instance_path) / keys.RSA_KEY_FILE).exists()


@pytest.mark.parametrize("bad", ["not-a-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                 "-----END PRIVATE KEY-----"])
def test_bad_configured_key_is_refused(bad):
    with pytest.raises(ValueError):
        keys._parse_key(bad)
    with pytest.raises(ValueError):
        keys._parse_rsa_key(bad)


def test_weak_or_wrong_rsa_key_is_refused():
    with pytest.raises(ValueError):
        keys._parse_rsa_key(pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)))
    with pytest.raises(ValueError):
        keys._parse_rsa_key(pem(Ed25519PrivateKey.generate()))


def test_instance_keys_are_generated_once_privately_and_reused(app):
    with app.test_request_context():
        first = keys.jwks()
        paths = [Path(app.instance_path) / name for name in (keys.KEY_FILE, keys.RSA_KEY_FILE)]
        for path in paths:
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            assert "PRIVATE" in path.read_text()
        app.extensions.pop("course_app_badge_key")  # as a restarted server would
        app.extensions.pop("course_app_badge_rsa_key")
        assert keys.jwks() == first
    assert [p.name for p in paths[0].parent.iterdir() if p.suffix == ".tmp"] == []


def test_jwks_never_publishes_a_private_key(client):
    body = client.get("/.well-known/jwks.json")
    assert body.headers["Access-Control-Allow-Origin"] == "*"
    rsa_key, ed_key = body.get_json()["keys"]
    assert set(rsa_key) == {"kty", "n", "e", "kid", "use", "alg"} and rsa_key["alg"] == "RS256"
    assert set(ed_key) == {"kty", "crv", "x", "kid", "use", "alg"} and ed_key["alg"] == "EdDSA"
    assert len(unb64(rsa_key["n"])) * 8 >= 2048


def test_did_document_publishes_both_keys(client):
    jwks = client.get("/.well-known/jwks.json").get_json()
    response = client.get("/.well-known/did.json")
    assert response.mimetype == "application/did+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["id"] == "did:web:khoahoc.example.vn"
    methods = document["verificationMethod"]
    assert [m["publicKeyJwk"] for m in methods] == jwks["keys"]
    assert [m["id"] for m in methods] == [f"did:web:khoahoc.example.vn#{k['kid']}"
                                          for k in jwks["keys"]]
    assert {m["controller"] for m in methods} == {document["id"]}
    assert document["assertionMethod"] == [m["id"] for m in methods]
    assert client.get("/did.json").get_json() == document


@pytest.mark.parametrize(("public_url", "did"), [
    ("https://khoahoc.example.vn/", "did:web:khoahoc.example.vn"),
    ("https://Daotao.Example.gov.vn:8443", "did:web:daotao.example.gov.vn%3A8443"),
    ("https://example.vn/dao-tao/khoa-hoc", "did:web:example.vn:dao-tao:khoa-hoc"),
])
def test_did_web_follows_the_public_url_not_the_request(app, public_url, did):
    app.config["PUBLIC_URL"] = public_url
    with app.test_request_context("/", base_url="https://attacker.example"):
        assert keys.issuer_did() == did
