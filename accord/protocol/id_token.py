"""ID tokens (OpenID Connect Core §2, §3.1.3.6; reference §1.10): RS256 JWTs with ``kid``.

Claims, in the order Google writes them: iss, azp, aud, sub, email, email_verified,
at_hash, nonce, name, picture, given_name, family_name, locale, iat, exp.
``email`` and ``email_verified`` come with the email scope, the profile claims
with the profile scope (only those the account has); ``exp`` is ``iat`` + 3600.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from accord.protocol.keys import KeyRing
from accord.protocol.messages import User

LIFETIME = 3600


def at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6 (and c_hash, §3.3.2.11): the left half of the token's SHA-256,
    base64url."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class IdTokens:
    issuer: str
    keys: KeyRing
    # Which claim groups ("openid", "email", "profile") a set of scopes grants: the
    # dialect knows the scope names.
    claim_groups: Callable[[tuple[str, ...]], frozenset[str]]
    lifetime: int = LIFETIME

    def wanted(self, scopes: tuple[str, ...]) -> bool:
        """Google returns an ID token whenever a sign-in scope was granted (reference §1.3.1)."""
        return bool(self.claim_groups(scopes))

    def issue(
        self,
        *,
        client_id: str,
        user: User,
        scopes: tuple[str, ...],
        now: int,
        access_token: str | None = None,
        code: str | None = None,
        nonce: str | None = None,
        auth_time: int | None = None,
    ) -> str:
        groups = self.claim_groups(scopes)
        claims: dict[str, object] = {
            "iss": self.issuer,
            "azp": client_id,
            "aud": client_id,
            "sub": user.sub,
        }
        if "email" in groups:
            claims["email"] = user.email
            claims["email_verified"] = user.email_verified
        if user.hd:  # "provided only if the user belongs to a ... organization" (§1.10)
            claims["hd"] = user.hd
        if access_token is not None:
            claims["at_hash"] = at_hash(access_token)
        if code is not None:
            claims["c_hash"] = at_hash(code)
        if nonce is not None:
            claims["nonce"] = nonce
        if "profile" in groups:
            for name in ("name", "picture", "given_name", "family_name", "locale"):
                value = getattr(user, name)
                if value:
                    claims[name] = value
        if auth_time is not None:
            claims["auth_time"] = auth_time
        claims["iat"] = now
        claims["exp"] = now + self.lifetime
        key = self.keys.signing_key(now)
        return jwt.encode(
            claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"}
        )


def verify(
    token: str, keys: KeyRing, now: int, issuer: str
) -> tuple[dict[str, object], dict[str, object]] | None:
    """The header and claims of an ID token this server signed and that is still valid
    at ``now``; None for anything else (bad signature, unknown key, alg other than RS256,
    another issuer, expired)."""
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, RecursionError):  # a header nested too deep, too
        return None
    if header.get("alg") != "RS256":
        return None
    key = next((k for k in keys.published(now) if k.kid == header.get("kid")), None)
    if key is None:
        return None
    try:
        claims = jwt.decode(
            token,
            key.public_key,
            algorithms=["RS256"],
            # Times are checked below against Accord's clock, not the system's.
            options={
                "verify_aud": False,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "require": ["iss", "sub", "aud", "iat", "exp"],
            },
        )
    except jwt.PyJWTError:
        return None
    exp, iat = claims.get("exp"), claims.get("iat")
    if claims.get("iss") != issuer or not isinstance(exp, int) or not isinstance(iat, int):
        return None
    if exp <= now or iat > now + 300:
        return None
    return header, claims
