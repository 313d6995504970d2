"""Sealed access tokens: opaque, authenticated, bound to the server key."""

from __future__ import annotations

import os

from accord.google.identifiers import TOKEN_FORMAT
from accord.protocol.tokens import TokenMinter, digest

KEY = os.urandom(32)


def test_sealed_access_token_round_trip() -> None:
    minter = TokenMinter(KEY, TOKEN_FORMAT)
    token = minter.seal_access(42, 1_900_000_000, ("a", "b c"[0:1]))
    assert token.startswith("ya29.")
    claims = minter.open_access(token)
    assert claims is not None and claims.authorization_pk == 42
    assert claims.expires_at == 1_900_000_000 and claims.scopes == ("a", "b")


def test_every_tampered_byte_is_refused() -> None:
    minter = TokenMinter(KEY, TOKEN_FORMAT)
    token = minter.seal_access(7, 1_900_000_000, ("scope",))
    for i in range(len("ya29."), len(token)):
        flipped = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert minter.open_access(flipped) is None, i


def test_another_key_or_prefix_is_refused() -> None:
    token = TokenMinter(KEY, TOKEN_FORMAT).seal_access(7, 1, ())
    assert TokenMinter(os.urandom(32), TOKEN_FORMAT).open_access(token) is None
    assert TokenMinter(KEY, TOKEN_FORMAT).open_access("1//0" + token[5:]) is None
    assert TokenMinter(KEY, TOKEN_FORMAT).open_access("ya29.!!!") is None


def test_random_tokens_are_distinct_and_digests_hide_them() -> None:
    minter = TokenMinter(KEY, TOKEN_FORMAT)
    codes = {minter.new_code() for _ in range(100)}
    assert len(codes) == 100 and all(c.startswith("4/0A") for c in codes)
    refresh = minter.new_refresh_token()
    assert refresh.startswith("1//0") and len(refresh) <= 512
    assert digest(refresh) != refresh and len(digest(refresh)) == 64
