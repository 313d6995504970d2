"""Signing keys in the database, their rotation, and the published key sets (reference §1.9).

Every test gets its own database (SQLite file, or a fresh PostgreSQL database) so that
its timeline of keys cannot disturb the shared test server's keys. Times are explicit:
``now`` is handed in, as the server's clock would.
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
from cryptography.hazmat.primitives import serialization
from google.oauth2 import id_token
from sqlalchemy import Engine, func, select
from starlette.applications import Starlette

from accord import cli
from accord.clock import FrozenClock, SystemClock
from accord.composition import build
from accord.google import paths
from accord.protocol.keys import RotationPolicy
from accord.settings import Settings
from accord.storage.database import Database
from accord.storage.engine import make_engine
from accord.storage.keys import KeyDecryptionError, SqlKeyRing, rotate_if_due
from accord.storage.migrate import upgrade
from accord.storage.schema import signing_keys
from accord.web import certs
from tests.conftest import create_pg_database, drop_pg_database, free_port

KEK = bytes(range(32))
T = 1_800_000_000
P = RotationPolicy()


@pytest.fixture
def db_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'keys.db'}"
        return
    db = create_pg_database()
    yield db.url
    drop_pg_database(db)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(signing_keys)).scalar_one())


def kids(ring: SqlKeyRing, now: int) -> list[str]:
    return [k.kid for k in ring.published(now)]


def in_threads(n: int, work: object) -> list[object]:
    """Run ``work(i)`` in n threads released together; return results in order."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    return results


def test_first_use_by_eight_processes_at_once_creates_one_key(db_url: str, engine: Engine) -> None:
    """Each thread has its own engine and ring, as separate server processes would."""
    engines = [make_engine(db_url) for _ in range(8)]
    try:
        got = in_threads(8, lambda i: SqlKeyRing(engines[i], KEK).signing_key(T).kid)
    finally:
        for e in engines:
            e.dispose()
    assert len(set(got)) == 1
    assert count(engine) == 1
    kid = str(got[0])
    assert len(kid) == 40 and int(kid, 16) >= 0  # 40 hex digits, like Google's


def test_a_due_rotation_checked_by_eight_processes_at_once_publishes_one_key(
    db_url: str, engine: Engine
) -> None:
    SqlKeyRing(engine, KEK).signing_key(T)
    due = T + P.sign_for - P.publish_ahead
    engines = [make_engine(db_url) for _ in range(8)]
    try:
        changed = in_threads(8, lambda i: rotate_if_due(SqlKeyRing(engines[i], KEK), due))
    finally:
        for e in engines:
            e.dispose()
    assert changed.count(True) == 1
    assert count(engine) == 2


def test_private_keys_are_sealed_at_rest(engine: Engine) -> None:
    key = SqlKeyRing(engine, KEK).signing_key(T)
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with engine.connect() as conn:
        row = conn.execute(select(signing_keys)).one()
    stored = row.private_key.encode()
    raw = base64.urlsafe_b64decode(stored)
    for blob in (stored, raw):
        assert b"PRIVATE KEY" not in blob and pem not in blob and der not in blob
        assert pem[30:90] not in blob
    assert row.public_key.startswith("-----BEGIN PUBLIC KEY-----")


def test_a_wrong_key_encryption_key_fails_clearly(engine: Engine) -> None:
    SqlKeyRing(engine, KEK).signing_key(T)
    other = SqlKeyRing(engine, bytes(32))
    assert len(other.published(T)) == 1  # public halves need no secret
    with pytest.raises(KeyDecryptionError, match="ACCORD_SECRET_KEY"):
        other.signing_key(T)
    with pytest.raises(ValueError, match="32 bytes"):
        SqlKeyRing(engine, b"short")


def test_rotation_timeline(engine: Engine) -> None:
    """Publish before signing, overlap after retiring, removal after expiry."""
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    assert kids(ring, T) == [first]
    due = T + P.sign_for - P.publish_ahead
    assert not rotate_if_due(ring, due - 1)
    assert kids(ring, due - 1) == [first]
    assert rotate_if_due(ring, due)
    assert not rotate_if_due(ring, due)  # idempotent
    assert not rotate_if_due(SqlKeyRing(engine, KEK), due + 1)  # in another process too
    second = kids(ring, due)[1]
    assert kids(ring, due) == [first, second]  # published a day before it signs
    retire = T + P.sign_for
    assert ring.signing_key(retire - 1).kid == first
    assert ring.signing_key(retire).kid == second  # on time, from what the ring read
    assert kids(ring, retire + P.keep_after - 1) == [first, second]
    assert kids(ring, retire + P.keep_after) == [second]
    assert count(engine) == 2


def test_signing_rolls_the_schedule_without_the_background_check(engine: Engine) -> None:
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    late = T + P.sign_for - P.publish_ahead // 2
    assert ring.signing_key(late).kid == first  # and its successor is now published
    assert len(kids(ring, late)) == 2
    retire = late + P.publish_ahead  # stretched so the successor is published a full day
    assert ring.signing_key(retire - 1).kid == first
    assert ring.signing_key(retire).kid != first


def test_rotate_now_reaches_other_processes_within_the_cache_period(engine: Engine) -> None:
    server, cli = SqlKeyRing(engine, KEK), SqlKeyRing(engine, KEK)
    first = server.signing_key(T).kid
    cli.rotate(T + 10, immediately=True)
    second = cli.signing_key(T + 10).kid
    assert second != first
    assert server.signing_key(T + 10 + P.cache_seconds - 11).kid == first  # cached
    assert server.signing_key(T + 10 + P.cache_seconds).kid == second
    assert kids(server, T + 10 + P.keep_after - 1) == [first, second]
    assert kids(server, T + 10 + P.keep_after) == [second]


def test_scheduled_rotate_waits_for_the_publish_lead(engine: Engine) -> None:
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    ring.rotate(T + 100)
    ring.rotate(T + 200)  # the same successor, still a day out
    assert count(engine) == 2
    second = kids(ring, T + 200)[1]
    assert ring.signing_key(T + 100 + P.publish_ahead - 1).kid == first
    assert ring.signing_key(T + 100 + P.publish_ahead).kid == second


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


# The command line ---------------------------------------------------------------------


def run_cli(settings: Settings, *argv: str) -> None:
    cli.run(settings, *argv)


def test_cli_rotate_and_list(
    db_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings("http://127.0.0.1:1", db_url, tmp_path, b"k" * 40)
    ring = SqlKeyRing(engine, settings.subkey("signing-keys"))
    first = ring.signing_key(SystemClock().now()).kid
    run_cli(settings, "keys", "rotate")
    out = capsys.readouterr().out
    [second] = {k.kid for k in ring.all_keys()} - {first}
    assert f"key {second} signs from " in out and f"until then key {first}" in out
    run_cli(settings, "keys", "rotate", "--now")
    assert f"key {second} signs from now" in capsys.readouterr().out
    fresh = SqlKeyRing(engine, settings.subkey("signing-keys"))  # no cache
    assert fresh.signing_key(SystemClock().now()).kid == second
    run_cli(settings, "keys", "list")
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{first}  retired") for line in listing)
    assert any(line.startswith(f"{second}  signing") for line in listing)
