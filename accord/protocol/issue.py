"""Issuing tokens for an authorization: the one place an access token is sealed, a refresh
token's answer is shaped and an ID token is signed, for every grant and every response
type (RFC 6749 §5.1, §4.2.2; OIDC Core §3.1.3.3, §3.2.2.5, §3.3.2.5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from accord.protocol.context import Context
from accord.protocol.messages import Client, TokenResponse


class IdTokenWhen(Enum):
    SIGN_IN = auto()  # a sign-in scope was granted (token endpoint, reference §1.3.1)
    ASKED = auto()  # response_type includes id_token (OIDC Core §3.2.2.5, §3.3.2.5)
    NEVER = auto()


@dataclass(frozen=True)
class Issuance:
    """What to issue, for whom."""

    client: Client
    user_pk: int | None  # the account an ID token is about; None: no ID token
    scopes: tuple[str, ...]
    now: int
    authorization_pk: int | None = None  # the token family; None: no access token
    refresh_token: str | None = None  # minted by the caller, already stored by its hash
    refresh_token_expires_in: int | None = None
    id_token: IdTokenWhen = IdTokenWhen.SIGN_IN
    nonce: str | None = None
    auth_time: int | None = None
    code: str | None = None  # an authorization code issued alongside, for c_hash


@dataclass(frozen=True)
class Issued:
    access_token: str | None
    expires_in: int
    scope: str
    refresh_token: str | None = None
    refresh_token_expires_in: int | None = None
    id_token: str | None = None

    def token_response(self) -> TokenResponse:
        """The token endpoint's answer (RFC 6749 §5.1)."""
        if self.access_token is None:
            raise ValueError("a token response needs an access token")
        return TokenResponse(
            access_token=self.access_token,
            expires_in=self.expires_in,
            scope=self.scope,
            refresh_token=self.refresh_token,
            refresh_token_expires_in=self.refresh_token_expires_in,
            id_token=self.id_token,
        )


def issue(ctx: Context, what: Issuance) -> Issued:
    ttl = ctx.lifetimes.access_token
    access_token = None
    if what.authorization_pk is not None:
        access_token = ctx.minter.seal_access(what.authorization_pk, what.now + ttl, what.scopes)
    return Issued(
        access_token=access_token,
        expires_in=ttl,
        scope=" ".join(what.scopes),
        refresh_token=what.refresh_token,
        refresh_token_expires_in=what.refresh_token_expires_in,
        id_token=_id_token(ctx, what, access_token),
    )


def _id_token(ctx: Context, what: Issuance, access_token: str | None) -> str | None:
    if ctx.id_tokens is None or what.id_token is IdTokenWhen.NEVER:
        return None
    if what.id_token is IdTokenWhen.SIGN_IN and not ctx.id_tokens.wanted(what.scopes):
        return None
    user = ctx.store.user_by_pk(what.user_pk) if what.user_pk is not None else None
    if user is None:
        return None
    return ctx.id_tokens.issue(
        client_id=what.client.client_id,
        user=user,
        scopes=what.scopes,
        now=what.now,
        access_token=access_token,
        code=what.code,
        nonce=what.nonce,
        auth_time=what.auth_time,
    )
