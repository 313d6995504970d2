"""The resource side: admitting bearer tokens (RFC 6750 §3.1) and revoking (RFC 7009)."""

from __future__ import annotations

import pytest

from accord.protocol import access
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidToken, MissingToken
from accord.protocol.tokens import digest
from tests.protocol.fakes import ALICE, NOW, code_grant, context, store_of, with_state


def sealed(ctx: Context, expires_in: int = 60, **kw: object) -> str:
    store = store_of(ctx)
    authorization = store.create_authorization(code_grant(scopes=("s1",)), NOW)
    store.authorizations[authorization.pk] = with_state(authorization, **kw)
    return ctx.minter.seal_access(authorization.pk, NOW + expires_in, ("s1",))


def test_rfc6750_a_live_token_is_admitted_with_its_own_scopes_and_expiry() -> None:
    """The subject carries the token's scopes and expiry, the rest from its authorization."""
    ctx = context()
    subject = access.admit(ctx, sealed(ctx))
    assert (subject.principal.sub, subject.scopes, subject.expires_at) == (ALICE.sub, ("s1",),
                                                                     NOW + 60)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda ctx: None, MissingToken),
        (lambda ctx: "", MissingToken),
        (lambda ctx: "ya29.forged", InvalidToken),
        (lambda ctx: "1//0a-refresh-token", InvalidToken),
        (lambda ctx: sealed(ctx, expires_in=0), ExpiredToken),
        (lambda ctx: sealed(ctx, revoked=True), InvalidToken),
        (lambda ctx: sealed(ctx, user_disabled=True), InvalidToken),
    ],
    ids=["none", "empty", "forged", "not-an-access-token", "expired", "revoked", "user-disabled"],
)
def test_rfc6750_3_1_refusals(make: object, error: type[InvalidToken]) -> None:
    """RFC 6750 §3.1: invalid_token "expired, revoked, malformed, or invalid for other
    reasons"; a request with no token at all is told apart. Google says "Invalid Value"."""
    ctx = context()
    with pytest.raises(InvalidToken) as caught:
        access.admit(ctx, make(ctx))  # type: ignore[operator]
    assert type(caught.value) is error
    assert (caught.value.code, caught.value.description) == ("invalid_token", "Invalid Value")


def test_rfc7009_revoking_an_access_token_revokes_the_whole_grant() -> None:
    """Reference §1.5: any token of a grant revokes the user's grant to the project."""
    ctx = context()
    token = sealed(ctx)
    access.revoke(ctx, token)
    with pytest.raises(InvalidToken):
        access.admit(ctx, token)
    assert [e.event for e in store_of(ctx).events] == ["token.revoked"]


def test_rfc7009_a_refresh_token_revokes_too() -> None:
    ctx = context()
    sealed(ctx)
    (pk,) = store_of(ctx).authorizations
    store_of(ctx).refresh[digest("1//0r")] = pk
    access.revoke(ctx, "1//0r")
    assert store_of(ctx).authorizations[pk].revoked


@pytest.mark.parametrize("token", [None, "", "nothing", "1//0unknown"])
def test_google_1_5_unknown_tokens_cannot_be_revoked(token: str | None) -> None:
    """Reference §1.5: Google answers invalid_token for a token it does not know."""
    with pytest.raises(InvalidToken) as caught:
        access.revoke(context(), token)
    assert caught.value.description == "Token expired or revoked"
