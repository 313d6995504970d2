"""The JWT-bearer grant of service accounts (RFC 7523 §2.1; reference §1.15, §1.16).

Its caller is the service account that signed the assertion: the ASSERTION authenticator
(``accord.protocol.assertions.verify``) checks signature, issuer, audience and times and
hands this module a verified ``Assertion``; no OAuth client takes part. With ``scope`` the
answer is an access token (for the account itself or, with ``sub``, for a user through
domain-wide delegation); with ``target_audience`` an ID token about the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.google import wording
from accord.protocol import delegation
from accord.protocol.assertions import Assertion
from accord.protocol.context import Context
from accord.protocol.errors import InvalidRequest, InvalidScope
from accord.protocol.grants.declare import CallerAuth, Grant
from accord.protocol.params import split_spaces
from accord.protocol.service_accounts import issue_access_token, issue_id_token

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass(frozen=True)
class AccountTokenResponse:
    """Google's answer with ``scope``: no refresh token, no scope echoed (reference §1.15)."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - RFC 6750 token type, not a secret

    def as_json(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "expires_in": self.expires_in,
            "token_type": self.token_type,
        }


@dataclass(frozen=True)
class IdTokenResponse:
    """Google's answer with ``target_audience``: the ID token alone."""

    id_token: str

    def as_json(self) -> dict[str, object]:
        return {"id_token": self.id_token}


def _scopes(ctx: Context, claim: object) -> tuple[str, ...]:
    asked = split_spaces(claim) if isinstance(claim, str) else ()
    if not asked or ctx.scopes.unknown(asked):
        raise InvalidScope(wording.JWT_NO_SCOPE, detail=f"scope {claim!r}")
    return ctx.scopes.normalize(asked)


def exchange(
    ctx: Context, assertion: Assertion, params: Mapping[str, str]
) -> AccountTokenResponse | IdTokenResponse:
    account, claims = assertion.account, assertion.claims
    now = ctx.clock.now()
    sub = claims.get("sub")
    delegated = sub is not None and sub != account.email  # sub = iss is the account itself
    audience = claims.get("target_audience")
    if audience is not None:
        if not isinstance(audience, str) or not audience.strip():
            raise InvalidScope(wording.JWT_NO_SCOPE, detail="blank target_audience")
        if delegated:  # [U] an ID token is always about the account, never about a user
            raise InvalidRequest(wording.DELEGATION_SUB, detail="sub with target_audience")
        return IdTokenResponse(issue_id_token(ctx, account, audience, now))
    scopes = _scopes(ctx, claims.get("scope"))
    acting_as = delegation.acting_as(ctx, account, sub, scopes, now) if delegated else None
    token = issue_access_token(ctx, account, scopes, now, acting_as=acting_as)
    return AccountTokenResponse(token.access_token, token.expires_in)


GRANT: Grant[Assertion] = Grant(
    grant_type=GRANT_TYPE,
    parameters=("assertion",),
    caller=CallerAuth.ASSERTION,
    exchange=exchange,
)
