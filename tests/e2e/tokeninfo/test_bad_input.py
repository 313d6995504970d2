"""Adversarial input at tokeninfo (reference §1.6): every bad token is Invalid Value.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import pytest
import requests

from accord.google.identifiers import TOKEN_FORMAT
from accord.protocol.tokens import TokenMinter
from accord.settings import Settings
from tests.conftest import DRIVE_META, Server
from tests.e2e.bad_input import (
    INVALID_VALUE,
    SQLITE_ONLY,
    TOKENINFO_PATHS,
    assert_json_error,
    flip_middle,
    tokeninfo,
)

# Tokeninfo (reference §1.6) ------------------------------------------------------------------



def minter(server: Server) -> TokenMinter:
    """The server's own sealing key (from its environment), to forge expired tokens."""
    settings = Settings(server.url, "", server.data_dir, server.env["ACCORD_SECRET_KEY"].encode())
    return TokenMinter(settings.subkey("access-token"), TOKEN_FORMAT)


def expired(server: Server, token: str) -> str:
    claims = minter(server).open_access(token)
    assert claims is not None
    return minter(server).seal_access(claims.authorization_pk, int(time.time()) - 1, claims.scopes)


def other_key(server: Server, token: str) -> str:
    return TokenMinter(secrets.token_bytes(32), TOKEN_FORMAT).seal_access(1, 2**40, (DRIVE_META,))


MANGLE: dict[str, Callable[[Server, str, str], str | None]] = {
    "missing": lambda srv, at, rt: None,
    "empty": lambda srv, at, rt: "",
    "garbage": lambda srv, at, rt: "garbage",
    "prefix_only": lambda srv, at, rt: "ya29.",
    "truncated": lambda srv, at, rt: at[:-6],
    "extended": lambda srv, at, rt: at + "AAAA",
    "tampered_middle": lambda srv, at, rt: flip_middle(at),
    "non_ascii": lambda srv, at, rt: at[:-1] + "\u00e9",
    "oversized": lambda srv, at, rt: "ya29." + "A" * 3000,
    "expired": lambda srv, at, rt: expired(srv, at),
    "sealed_with_another_key": lambda srv, at, rt: other_key(srv, at),
    "refresh_token_as_access_token": lambda srv, at, rt: rt,
}


@SQLITE_ONLY
@pytest.mark.parametrize("path", TOKENINFO_PATHS)
@pytest.mark.parametrize("mangle", MANGLE, ids=list(MANGLE))
def test_tokeninfo_bad_tokens_are_invalid_value(
    server: Server, creds: tuple[str, str], path: str, mangle: str
) -> None:
    """Reference §1.6: "400 {"error":"invalid_token","error_description":"Invalid Value"}"."""
    token = MANGLE[mangle](server, *creds)
    params = {} if token is None else {"access_token": token}
    response = requests.get(server.url + path, params=params)
    assert (response.status_code, response.json()) == (400, INVALID_VALUE)
    assert "no-store" in response.headers["cache-control"]
    assert tokeninfo(server, creds[0], path).status_code == 200


@SQLITE_ONLY
def test_tokeninfo_forged_key_control(server: Server, creds: tuple[str, str]) -> None:
    """The forging above is sound: the same key with a future expiry is accepted."""
    claims = minter(server).open_access(creds[0])
    assert claims is not None
    fresh = minter(server).seal_access(claims.authorization_pk, int(time.time()) + 60, claims.scopes)
    assert tokeninfo(server, fresh).status_code == 200


@SQLITE_ONLY
@pytest.mark.parametrize("how", ["bearer_garbage", "form_tampered", "bearer_refresh_token"])
def test_tokeninfo_bad_tokens_other_transports(
    server: Server, creds: tuple[str, str], how: str
) -> None:
    at, rt = creds
    if how == "bearer_garbage":
        response = requests.post(server.url + "/tokeninfo", headers={"Authorization": "Bearer x"})
    elif how == "form_tampered":
        response = requests.post(server.url + "/tokeninfo", data={"access_token": flip_middle(at)})
    else:
        response = requests.get(server.url + "/tokeninfo", headers={"Authorization": f"Bearer {rt}"})
    assert (response.status_code, response.json()) == (400, INVALID_VALUE)


@SQLITE_ONLY
def test_tokeninfo_access_token_twice(server: Server, creds: tuple[str, str]) -> None:
    """RFC 6749 §3.1 style: a parameter given twice is refused, even with the same value."""
    pairs = [("access_token", creds[0]), ("access_token", creds[0])]
    assert_json_error(requests.get(server.url + "/tokeninfo", params=pairs), 400, "invalid_request")


@SQLITE_ONLY
def test_tokeninfo_wrong_method(server: Server, creds: tuple[str, str]) -> None:
    assert requests.put(server.url + "/tokeninfo", params={"access_token": creds[0]}).status_code == 405
