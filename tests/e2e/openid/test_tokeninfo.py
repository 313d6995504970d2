"""Tokeninfo for ID tokens (reference §1.6): merged header and claims, forged, expired and
foreign tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accord.cli.wiring import key_ring
from accord.clock import SystemClock
from accord.settings import Settings
from tests.conftest import Server
from tests.e2e.openid.support import (
    SignIn,
    b64url,
    flip,
    payload,
    segments,
    tokeninfo,
    verify,
)


# Tokeninfo for ID tokens (reference §1.6) ---------------------------------------------------------
def test_tokeninfo_merges_header_and_claims_as_strings(server: Server, ada: SignIn) -> None:
    claims = verify(server, ada.id_token, ada.world.client.client_id)
    header = jwt.get_unverified_header(ada.id_token)
    for info in (
        tokeninfo(server, ada.id_token),
        requests.post(server.url + "/tokeninfo", data={"id_token": ada.id_token}),
        requests.get(server.url + "/oauth2/v3/tokeninfo", params={"id_token": ada.id_token}),
    ):
        assert info.status_code == 200
        body = info.json()
        assert all(isinstance(v, str) for v in body.values())
        assert set(body) == set(claims) | {"alg", "kid", "typ"}
        assert (body["alg"], body["typ"], body["kid"]) == ("RS256", "JWT", header["kid"])
        assert body["email_verified"] == "true"
        assert (body["iat"], body["exp"]) == (str(claims["iat"]), str(claims["exp"]))
        assert body["aud"] == body["azp"] == ada.world.client.client_id
        assert body["iss"] == server.url and body["sub"] == ada.world.sub
        assert body["nonce"] == ada.nonce and body["at_hash"] == claims["at_hash"]


def ring_key(server: Server) -> tuple[str, rsa.RSAPrivateKey]:
    """The key the server signs with, read from the database as ``accord keys`` does."""
    key = key_ring(Settings.from_env(server.env)).signing_key(SystemClock().now())
    return key.kid, key.private_key


def seal(claims: dict[str, Any], key: Any, kid: str, alg: str = "RS256") -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def test_tokeninfo_refuses_a_token_for_an_audience_it_does_not_know(
    server: Server, ada: SignIn
) -> None:
    """Signed with the server's own key, but for no client of this server: refused. (Tokeninfo
    reports ``aud`` and leaves matching it to the caller's own client ID.)"""
    kid, key = ring_key(server)
    for aud in ("someone-else", ["a", "b"]):
        other = seal({**payload(ada.id_token), "aud": aud}, key, kid)
        response = tokeninfo(server, other)
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_token", "error_description": "Invalid Value"}
    sibling = server.new_client(ada.world.client.project_id)
    mine = seal({**payload(ada.id_token), "aud": sibling.client_id}, key, kid)
    assert tokeninfo(server, mine).json()["aud"] == sibling.client_id


def test_tokeninfo_rejects_forged_expired_and_foreign_tokens(server: Server, ada: SignIn) -> None:
    kid, key = ring_key(server)
    claims = payload(ada.id_token)
    head, body, sig = segments(ada.id_token)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    none_header = b64url(json.dumps({"alg": "none", "kid": kid, "typ": "JWT"}).encode())
    resigned = {**claims, "sub": "1" + claims["sub"]}
    bad = {
        "signature flipped": f"{head}.{body}.{flip(sig, len(sig) // 2)}",
        "payload flipped": f"{head}.{flip(body, len(body) // 2)}.{sig}",
        "payload changed": f"{head}.{b64url(json.dumps(resigned).encode())}.{sig}",
        "expired": seal({**claims, "iat": claims["iat"] - 7200, "exp": claims["exp"] - 7200},
                        key, kid),
        "another issuer": seal({**claims, "iss": "https://accounts.google.com"}, key, kid),
        "issued in the future": seal({**claims, "iat": claims["iat"] + 3600,
                                      "exp": claims["exp"] + 3600}, key, kid),
        "exp as a string": seal({**claims, "exp": str(claims["exp"])}, key, kid),
        "no sub": seal({k: v for k, v in claims.items() if k != "sub"}, key, kid),
        "unpublished key": seal(claims, stranger, "0" * 40),
        "published kid, wrong key": seal(claims, stranger, kid),
        "alg none": f"{none_header}.{body}.",
        "HS256 keyed with the public key": hs256(claims, public_pem, kid),
        "an access token": ada.access_token,
        "garbage": "not-a-jwt",
    }
    assert tokeninfo(server, seal(claims, key, kid)).status_code == 200  # the control
    for what, token in bad.items():
        response = tokeninfo(server, token)
        assert response.status_code == 400, what
        assert response.json() == {"error": "invalid_token", "error_description": "Invalid Value"}


def hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """Algorithm confusion (RFC 8725 §2.1), built by hand: PyJWT refuses PEM keys as secrets."""
    head = b64url(json.dumps({"alg": "HS256", "kid": kid, "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"
