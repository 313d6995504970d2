"""Userinfo shapes (reference §1.7): the OIDC form and the legacy oauth2 v2 form."""

from __future__ import annotations

from accord.google.apis import Api
from accord.google.scopes import claim_groups
from accord.protocol.messages import User

# The services named in error envelopes for these endpoints.
OPENID_API = Api("userinfo", "openidconnect.googleapis.com", "OpenID Connect", ("v1",))
OAUTH2_API = Api("oauth2", "oauth2.googleapis.com", "Google OAuth2 API", ("v2",))
_PROFILE = ("name", "given_name", "family_name", "picture", "locale")


def _profile(user: User) -> dict[str, object]:
    return {name: getattr(user, name) for name in _PROFILE if getattr(user, name)}


def openid_userinfo(user: User, scopes: tuple[str, ...]) -> dict[str, object]:
    """``/v1/userinfo`` and ``/oauth2/v3/userinfo``: standard claims by scope (OIDC Core §5.4)."""
    groups = claim_groups(scopes)
    info: dict[str, object] = {"sub": user.sub}
    if "profile" in groups:
        info.update(_profile(user))
    if "email" in groups:
        info["email"] = user.email
        info["email_verified"] = user.email_verified
        if user.hd:
            info["hd"] = user.hd
    return info


def legacy_userinfo(user: User, scopes: tuple[str, ...]) -> dict[str, object]:
    """``/oauth2/v2/userinfo``: the oauth2.v2 ``Userinfo`` schema (id, verified_email, ...)."""
    groups = claim_groups(scopes)
    info: dict[str, object] = {"id": user.sub}
    if "email" in groups:
        info["email"] = user.email
        info["verified_email"] = user.email_verified
    if "profile" in groups:
        info.update(_profile(user))
    if user.hd and "email" in groups:
        info["hd"] = user.hd  # the oauth2.v2 Userinfo schema's hosted domain
    return info
