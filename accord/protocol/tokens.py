"""Token material: random codes and refresh tokens, sealed access tokens.

* Codes and refresh tokens are 256 random bits. Stores keep only ``digest(token)``.
* Access tokens are not stored at all. Each one is an AES-256-GCM sealed box of
  (authorization id, expiry, scope); opening it needs the server key, which is
  never in the database. Every use re-reads the authorization it names, so
  revoking the authorization revokes the token at once (Fosite's HMAC strategy
  keys storage by signature; here there is nothing to key, and nothing to steal).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_HEADER = struct.Struct(">QQ")
_AAD = b"accord/access/v1"
_NONCE = 12


def digest(token: str) -> str:
    """The lookup key a store keeps for a code, refresh token or client secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def random_text(n_bytes: int = 32) -> str:
    return secrets.token_urlsafe(n_bytes)


@dataclass(frozen=True)
class TokenFormat:
    """Prefixes that make tokens recognisable (the dialect chooses them)."""

    code: str = ""
    access: str = ""
    refresh: str = ""


@dataclass(frozen=True)
class AccessClaims:
    authorization_pk: int
    expires_at: int
    scopes: tuple[str, ...]


class TokenMinter:
    def __init__(self, key: bytes, fmt: TokenFormat) -> None:
        if len(key) != 32:
            raise ValueError("the access-token key must be 32 bytes")
        self._aead = AESGCM(key)
        self.format = fmt

    def new_code(self) -> str:
        return self.format.code + random_text()

    def new_refresh_token(self) -> str:
        return self.format.refresh + random_text()

    def seal_access(self, authorization_pk: int, expires_at: int, scopes: tuple[str, ...]) -> str:
        plain = _HEADER.pack(authorization_pk, expires_at) + " ".join(scopes).encode("utf-8")
        nonce = os.urandom(_NONCE)
        box = nonce + self._aead.encrypt(nonce, plain, _AAD)
        return self.format.access + base64.urlsafe_b64encode(box).rstrip(b"=").decode("ascii")

    def open_access(self, token: str) -> AccessClaims | None:
        """The claims of a token this server sealed, or None for anything else."""
        prefix = self.format.access
        if not token.startswith(prefix) or len(token) > 2048:
            return None
        body = token[len(prefix) :]
        try:
            box = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            # Only the canonical spelling: trailing bits that base64 ignores must not
            # make a second valid form of the same token.
            if base64.urlsafe_b64encode(box).rstrip(b"=").decode("ascii") != body:
                return None
            plain = self._aead.decrypt(box[:_NONCE], box[_NONCE:], _AAD)
        except (binascii.Error, ValueError, InvalidTag):
            return None
        pk, expires_at = _HEADER.unpack_from(plain)
        scopes = tuple(plain[_HEADER.size :].decode("utf-8").split(" "))
        return AccessClaims(pk, expires_at, tuple(s for s in scopes if s))
