"""Tokens for service accounts: the one place an access token or an ID token is made for a
service account, whoever asked (the JWT-bearer grant, reference §1.15; the IAM Credentials
API, §1.19). Domain-wide delegation (§1.16) makes an access token whose principal is the
user the account acts as.

An access token is sealed, as every access token is, around a token family of its own
(an ``authorizations`` row with no OAuth client and no refresh token), so that tokeninfo,
userinfo, the APIs and revocation admit it the way they admit a user's.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

from accord.protocol.context import Context
from accord.protocol.messages import Principal, ServiceAccount

ID_TOKEN_LIFETIME = 3600


@dataclass(frozen=True)
class AccountToken:
    access_token: str
    expires_at: int  # seconds since the epoch
    expires_in: int


def issue_access_token(
    ctx: Context,
    account: ServiceAccount,
    scopes: tuple[str, ...],
    now: int,
    lifetime: int | None = None,
    acting_as: Principal | None = None,
) -> AccountToken:
    """An access token of ``account`` (or, with ``acting_as``, of that user, issued to the
    account through domain-wide delegation) for ``scopes``, living ``lifetime`` seconds
    (Google's 3599 by default)."""
    ttl = ctx.lifetimes.access_token if lifetime is None else lifetime
    principal = acting_as if acting_as is not None else account.principal()
    authorization_pk = ctx.accounts().create_account_authorization(
        principal, account.pk, account.project_pk, scopes, now, now + ttl
    )
    token = ctx.minter.seal_access(authorization_pk, now + ttl, scopes)
    return AccountToken(token, now + ttl, ttl)


def issue_id_token(
    ctx: Context,
    account: ServiceAccount,
    audience: str,
    now: int,
    include_email: bool = True,
    email_azp: bool = False,
) -> str:
    """An ID token about ``account`` for ``audience`` (a URL or any string), signed with
    Accord's ID-token keys, as Google's ``target_audience`` and ``generateIdToken`` give:
    ``aud`` the audience, ``sub`` and ``azp`` the unique id (``azp`` the email with
    ``useEmailAzp``), ``email`` and ``email_verified`` with ``includeEmail``."""
    if ctx.id_tokens is None:
        raise RuntimeError("no ID-token keys are wired")
    claims: dict[str, object] = {
        "aud": audience,
        "azp": account.email if email_azp else account.unique_id,
    }
    if include_email:
        claims["email"] = account.email
        claims["email_verified"] = True
    claims.update(
        {
            "exp": now + ID_TOKEN_LIFETIME,
            "iat": now,
            "iss": ctx.id_tokens.issuer,
            "sub": account.unique_id,
        }
    )
    key = ctx.id_tokens.keys.signing_key(now)
    return jwt.encode(
        claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"}
    )
