"""The tokeninfo responses (reference §1.6): every value a string."""

from __future__ import annotations

from accord.google.scopes import AUTH
from accord.protocol.messages import TokenSubject

EMAIL_SCOPES = {"email", AUTH + "userinfo.email"}


def access_token_info(subject: TokenSubject, now: int) -> dict[str, str]:
    info = {
        "azp": subject.client_id,
        "aud": subject.client_id,
        "sub": subject.principal.sub,
        "scope": " ".join(subject.scopes),
        "exp": str(subject.expires_at),
        "expires_in": str(max(subject.expires_at - now, 0)),
    }
    if EMAIL_SCOPES & set(subject.scopes):
        info["email"] = subject.principal.email
        info["email_verified"] = "true" if subject.principal.email_verified else "false"
    info["access_type"] = subject.access_type.value
    return info


def id_token_info(header: dict[str, object], claims: dict[str, object]) -> dict[str, str]:
    """An ID token's JWT header and claims merged, every value a string."""
    return {k: _text(v) for k, v in {**claims, **header}.items()}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
