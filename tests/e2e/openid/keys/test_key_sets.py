"""The published key sets (JWK set and PEM certificates), served by a real HTTP server, across a
rotation (reference §1.9).
"""

from __future__ import annotations

import base64
import dataclasses
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import google.auth.transport.requests
import jwt
import pytest
import requests
import uvicorn
from cryptography import x509
from google.oauth2 import id_token
from sqlalchemy import Engine
from starlette.applications import Starlette

from accord.clock import FrozenClock
from accord.composition import build
from accord.google import paths
from accord.settings import Settings
from accord.storage.database import Database
from accord.storage.keys import SqlKeyRing
from accord.web import certs
from tests.conftest import free_port
from tests.e2e.openid.keys.support import (
    KEK,
    P,
    T,
)

# The published key sets, served by a real HTTP server -------------------------------------


@dataclass
class CertsServer:
    url: str
    ring: SqlKeyRing
    clock: FrozenClock

    def token(self, audience: str = "client-1") -> str:
        """An ID-token-shaped JWT signed by the ring's current key (times: real clock)."""
        key = self.ring.signing_key(self.clock.now())
        iat = int(time.time())
        claims = {"iss": self.url, "aud": audience, "sub": "1234", "iat": iat, "exp": iat + 3600}
        return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


@pytest.fixture
def certs_server(engine: Engine, tmp_path: Path) -> Iterator[CertsServer]:
    app = Starlette(routes=certs.routes)
    clock = FrozenClock(T)
    ring = SqlKeyRing(engine, KEK)
    settings = Settings("http://127.0.0.1:1", "", tmp_path, b"k" * 40)
    app.state.deps = dataclasses.replace(build(settings, clock, Database(engine)), keys=ring)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the certs server did not start")
        time.sleep(0.01)
    yield CertsServer(f"http://127.0.0.1:{port}", ring, clock)
    server.should_exit = True
    thread.join()


def test_jwk_set_and_pem_certificates(certs_server: CertsServer) -> None:
    key = certs_server.ring.signing_key(T)
    v3 = requests.get(certs_server.url + paths.CERTS_V3, timeout=10)
    v1 = requests.get(certs_server.url + paths.CERTS_V1, timeout=10)
    for response in (v3, v1):
        assert response.status_code == 200
        assert response.headers["cache-control"] == (
            f"public, max-age={P.max_age}, must-revalidate, no-transform"
        )
        assert response.headers["expires"] == time.strftime(
            "%a, %d %b %Y %H:%M:%S GMT", time.gmtime(T + P.max_age)
        )
    [jwk] = v3.json()["keys"]
    assert set(jwk) == {"kty", "alg", "use", "kid", "n", "e"}
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["kid"], jwk["e"]) == (
        "RSA", "RS256", "sig", key.kid, "AQAB"
    )
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4)), "big")
    assert n == key.private_key.public_key().public_numbers().n
    assert n.bit_length() == 2048 and "=" not in jwk["n"]
    pems = v1.json()
    assert list(pems) == [key.kid]
    assert pems[key.kid].startswith("-----BEGIN CERTIFICATE-----\n")
    assert pems[key.kid].endswith("-----END CERTIFICATE-----\n")
    cert = x509.load_pem_x509_certificate(pems[key.kid].encode())
    assert cert.public_key() == key.private_key.public_key()
    assert cert.issuer == cert.subject  # self-signed


def test_google_auth_verifies_across_a_rotation_until_the_overlap_ends(
    certs_server: CertsServer,
) -> None:
    """A token signed before the rotation still verifies; after the overlap it does not."""
    request = google.auth.transport.requests.Request()
    urls = [certs_server.url + paths.CERTS_V3, certs_server.url + paths.CERTS_V1]

    def verify(token: str, url: str) -> str:
        return str(id_token.verify_token(token, request, audience="client-1", certs_url=url)["sub"])

    before = certs_server.token()
    for url in urls:
        assert verify(before, url) == "1234"
    certs_server.ring.rotate(T, immediately=True)
    after = certs_server.token()
    assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]
    certs_server.clock.advance(P.keep_after - 1)
    for url in urls:
        assert verify(before, url) == "1234"
        assert verify(after, url) == "1234"
    certs_server.clock.advance(1)
    with pytest.raises(jwt.PyJWKClientError, match="Unable to find a signing key"):
        verify(before, urls[0])
    with pytest.raises(ValueError, match="Certificate for key id .* not found"):
        verify(before, urls[1])
    for url in urls:
        assert verify(after, url) == "1234"
    with pytest.raises(ValueError):
        id_token.verify_token(after, request, audience="another-client", certs_url=urls[1])
