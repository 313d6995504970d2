"""Client authentication at the token endpoint: client_secret_basic and client_secret_post
(RFC 6749 §2.3.1), the two methods Google lists (reference §1.3)."""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable, Mapping
from typing import Protocol
from urllib.parse import unquote_plus

from accord.google import wording
from accord.protocol.errors import (
    DeletedClient,
    DisabledClient,
    InvalidClient,
    InvalidRequest,
    RateLimited,
)
from accord.protocol.messages import Client, ClientStatus
from accord.protocol.tokens import digest

# Discovery's token_endpoint_auth_methods_supported, in the order Google lists them.
METHODS = ("client_secret_post", "client_secret_basic")
MALFORMED_BASIC = "Invalid Authorization header."


class SecretThrottle(Protocol):
    """Failed secret attempts of a client (``accord.interaction.throttle.ClientThrottle``)."""

    def blocked(self, client_id: str) -> int | None:
        """Seconds until the client may try again, or None when it is not throttled."""

    def failed(self, client_id: str) -> None: ...


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """client_secret_basic's credentials. A malformed header is a failed client
    authentication: 401 ``invalid_client`` (RFC 6749 §5.2), whose answer carries
    ``WWW-Authenticate: Basic`` (``accord.web.render``)."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        # ValueError covers binascii.Error and a str that is not ASCII (a latin-1 header).
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise InvalidClient(MALFORMED_BASIC) from None
    client_id, sep, secret = decoded.partition(":")
    # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    client_id, secret = unquote_plus(client_id), unquote_plus(secret)
    if not sep or not client_id or "\x00" in client_id or "\x00" in secret:
        raise InvalidClient(MALFORMED_BASIC)
    return client_id, secret


def authenticate(
    params: Mapping[str, str],
    authorization_header: str | None,
    lookup: Callable[[str], Client | None],
    throttle: SecretThrottle | None = None,
) -> Client:
    """The client the request authenticates as. With a ``throttle``, a client past its
    limit of failed attempts is refused (429) before any secret is compared."""
    basic = parse_basic(authorization_header)
    if basic is not None:
        if "client_secret" in params:
            # RFC 6749 §2.3: "MUST NOT use more than one authentication method".
            raise InvalidRequest("Multiple client authentication methods were used.")
        client_id, secret = basic
        if params.get("client_id", client_id) != client_id:
            raise InvalidRequest("client_id does not match the Authorization header.")
    else:
        client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
    if not client_id:
        raise InvalidRequest("Could not determine client ID from request.")
    if throttle is not None:
        wait = throttle.blocked(client_id)
        if wait is not None:
            raise RateLimited(wording.CLIENT_THROTTLED, retry_after=wait, detail=client_id)
    client = lookup(client_id)
    if client is None:
        if throttle is not None:
            throttle.failed(client_id)
        raise InvalidClient(wording.CLIENT_NOT_FOUND, detail=client_id)
    if not secret:
        raise InvalidRequest("client_secret is missing.")
    # Client secrets carry 168 random bits (``google.identifiers.new_client_secret``: 28 base64url
    # characters), so one SHA-256 is enough to store them (no dictionary to attack) and
    # keeps the token endpoint fast.
    # Every enabled secret is compared (at most two, during a rotation), without an early exit.
    presented = digest(secret)
    matched = False
    for known in client.secret_hashes:
        matched |= hmac.compare_digest(presented, known)
    if not matched:
        if throttle is not None:
            throttle.failed(client_id)
        raise InvalidClient(wording.UNAUTHORIZED, detail=f"bad secret for {client_id}")
    check_usable(client)
    return client


def check_usable(client: Client) -> None:
    """Disabled and deleted clients are refused everywhere (reference §1.1, §1.3.4)."""
    if client.status is ClientStatus.DELETED:
        raise DeletedClient(wording.CLIENT_DELETED, detail=client.client_id)
    if client.status is ClientStatus.DISABLED:
        raise DisabledClient(wording.CLIENT_DISABLED, detail=client.client_id)
