"""The published signing keys, in Google's two formats (reference §1.9).

``/oauth2/v3/certs`` is a JWK set (RFC 7517); ``/oauth2/v1/certs`` maps each kid to a
self-signed X.509 certificate in PEM. Both are cacheable for ``max_age`` seconds, which
the rotation policy keeps shorter than the time a new key is published before it signs,
and which is cut short while a key taken off early (``accord keys rotate --now
--unpublish-after``) is still in the set.
"""

from __future__ import annotations

import base64
from email.utils import formatdate
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google import paths
from accord.protocol.keys import PublishedKey


class Publisher(Protocol):
    def key_set(self, now: int) -> tuple[list[PublishedKey], int]:
        """The published keys, read afresh, and their max-age."""
        ...


def _b64_uint(value: int) -> str:
    """RFC 7518 §6.3.1: a big-endian unsigned integer, base64url without padding."""
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwk(key: PublishedKey) -> dict[str, str]:
    numbers = key.public_key.public_numbers()
    return {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": key.kid,
        "n": _b64_uint(numbers.n),
        "e": _b64_uint(numbers.e),
    }


def _respond(body: Any, now: int, max_age: int) -> Response:
    headers = {
        "Cache-Control": f"public, max-age={max_age}, must-revalidate, no-transform",
        "Expires": formatdate(now + max_age, usegmt=True),
    }
    return JSONResponse(body, headers=headers)


def _published(request: Request) -> tuple[list[PublishedKey], int, int]:
    ring: Publisher = deps(request).keys
    now: int = deps(request).clock.now()
    keys, max_age = ring.key_set(now)
    return keys, now, max_age


async def certs_v3(request: Request) -> Response:
    keys, now, max_age = _published(request)
    return _respond({"keys": [jwk(k) for k in keys]}, now, max_age)


async def certs_v1(request: Request) -> Response:
    keys, now, max_age = _published(request)
    return _respond({k.kid: k.certificate_pem for k in keys}, now, max_age)


routes: list[BaseRoute] = [
    Route(paths.CERTS_V3, certs_v3, methods=["GET"]),
    Route(paths.CERTS_V1, certs_v1, methods=["GET"]),
]
