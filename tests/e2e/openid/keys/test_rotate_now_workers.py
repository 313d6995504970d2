"""``accord keys rotate --now`` against two running server processes (issue 12): both sign
with the new key within the bound the CLI announces, both publish it at once, and ID tokens
from either verify through google-auth against the other's key sets all along."""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from pathlib import Path

import google.auth.transport.requests
import jwt
import pytest
import requests
from google.oauth2 import id_token as google_id_token
from google.oauth2.credentials import Credentials

from tests.conftest import Server, World
from tests.e2e.openid.support import SIGN_IN, jwks, kid_of, sign_in
from tests.e2e.workers import two_workers


@pytest.fixture
def workers(db_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    with two_workers(db_url, tmp_path) as pair:
        yield pair


def _id_token(server: Server, world: World, refresh_token: str) -> str:
    """A fresh ID token signed by ``server``: google-auth's refresh against its /token."""
    credentials = Credentials(
        None, refresh_token=refresh_token, token_uri=server.url + "/token",
        client_id=world.client.client_id, client_secret=world.client.client_secret,
    )
    credentials.refresh(google.auth.transport.requests.Request())
    return str(credentials.id_token)


def _verifies(token: str, server: Server, world: World, version: str) -> bool:
    """google-auth's verify_token, which fetches the key set on every call."""
    try:
        google_id_token.verify_token(
            token, google.auth.transport.requests.Request(),
            audience=world.client.client_id, certs_url=f"{server.url}/oauth2/{version}/certs",
        )
    except (ValueError, jwt.exceptions.PyJWKClientError):  # v1 certs / v3 JWK set
        return False
    return True


def test_rotate_now_reaches_both_workers_within_the_announced_bound(
    workers: tuple[Server, Server],
) -> None:
    one, other = workers
    world = one.new_world()
    refresh_token = str(sign_in(one, world, SIGN_IN).creds.refresh_token)
    before = {kid_of(_id_token(w, world, refresh_token)) for w in (one, other)}
    assert len(before) == 1  # both workers sign with the same key, and have it cached

    out = one.cli("keys", "rotate", "--now").stdout
    rotated_at = time.monotonic()
    found = re.search(r"key (\w+) signs from now: every server signs with it within (\d+) s", out)
    assert found, out
    new_kid, bound = found[1], int(found[2])
    assert new_kid not in before
    for worker in (one, other):  # published at once by both
        assert new_kid in {k["kid"] for k in jwks(worker)["keys"]}

    failures: list[str] = []
    switched: dict[str, float] = {}
    while time.monotonic() < rotated_at + bound + 1:
        for signer, verifier in ((one, other), (other, one)):
            token = _id_token(signer, world, refresh_token)
            if kid_of(token) == new_kid:
                switched.setdefault(signer.url, time.monotonic() - rotated_at)
            for version in ("v1", "v3"):
                if not _verifies(token, verifier, world, version):
                    failures.append(f"{kid_of(token)} from {signer.url} at {verifier.url}")
    assert failures == []
    assert set(switched) == {one.url, other.url}
    # After the bound, whatever each worker had cached: the new key signs everywhere.
    time.sleep(max(0.0, rotated_at + bound - time.monotonic()))
    for worker in (one, other):
        assert kid_of(_id_token(worker, world, refresh_token)) == new_kid


def test_a_compromised_key_leaves_both_workers_key_sets_when_told(
    workers: tuple[Server, Server],
) -> None:
    one, other = workers
    world = one.new_world()
    refresh_token = str(sign_in(one, world, SIGN_IN).creds.refresh_token)
    old = _id_token(other, world, refresh_token)
    started = time.monotonic()
    out = one.cli("keys", "rotate", "--now", "--unpublish-after", "8").stdout
    until = re.search(rf"key {kid_of(old)} no longer signs; published until (\S+ \S+)Z", out)
    assert until, out
    gone_at = calendar.timegm(time.strptime(until[1], "%Y-%m-%d %H:%M:%S"))
    assert gone_at - time.time() <= 8
    for worker in (one, other):
        response = requests.get(worker.url + "/oauth2/v3/certs")
        max_age = int(re.findall(r"max-age=(\d+)", response.headers["cache-control"])[0])
        if kid_of(old) in {k["kid"] for k in response.json()["keys"]}:
            assert max_age <= 8  # no verifier caches the old key past its unpublication
        else:  # the CLI took that long (times are whole seconds)
            assert time.monotonic() >= started + 7
    time.sleep(max(0.0, gone_at + 1 - time.time()))
    for worker in (one, other):
        assert kid_of(old) not in {k["kid"] for k in jwks(worker)["keys"]}
        assert not _verifies(old, worker, world, "v3")
        assert _verifies(_id_token(worker, world, refresh_token), worker, world, "v3")
