"""Client authentication at the token endpoint (RFC 6749 §2.3.1; reference §1.3)."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from accord.protocol import client_auth, errors
from accord.protocol.errors import OAuthError
from accord.protocol.messages import Client, ClientStatus
from tests.protocol.fakes import OTHER, SECRET, WEB

CLIENTS = {c.client_id: c for c in (WEB, OTHER, replace(WEB, pk=3, client_id="gone",
           status=ClientStatus.DELETED), replace(WEB, pk=4, client_id="off",
           status=ClientStatus.DISABLED))}


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def authenticate(params: dict[str, str], header: str | None = None) -> Client:
    return client_auth.authenticate(params, header, CLIENTS.get)


@pytest.mark.parametrize(
    ("params", "header"),
    [
        ({"client_id": "web-client", "client_secret": SECRET}, None),
        ({}, basic("web-client", SECRET)),
        ({"client_id": "web-client"}, basic("web-client", SECRET)),
        ({}, "bAsIc " + basic("web-client", SECRET)[6:]),
    ],
    ids=["post", "basic", "basic-with-same-client_id", "scheme-case-insensitive"],
)
def test_rfc6749_2_3_1_either_method_authenticates(params: dict[str, str], header: str | None
                                                   ) -> None:
    """RFC 6749 §2.3.1: client_secret_basic, or the credentials in the request body."""
    assert authenticate(params, header) is CLIENTS["web-client"]


def test_rfc6749_2_3_1_basic_parts_are_form_urlencoded() -> None:
    """RFC 6749 §2.3.1: "the client identifier ... encoded using the
    application/x-www-form-urlencoded encoding algorithm"."""
    weird = replace(WEB, client_id="a b:c", secret_hashes=OTHER.secret_hashes)
    header = basic("a+b%3Ac", "other")
    assert client_auth.authenticate({}, header, {weird.client_id: weird}.get) is weird


@pytest.mark.parametrize(
    ("params", "header", "code", "description"),
    [
        ({"client_id": "web-client", "client_secret": SECRET}, basic("web-client", SECRET),
         "invalid_request", "Multiple client authentication methods were used."),
        ({"client_id": "other-client"}, basic("web-client", SECRET),
         "invalid_request", "client_id does not match the Authorization header."),
        ({}, "Basic !!!", "invalid_client", "Invalid Authorization header."),
        ({}, "Basic " + base64.b64encode(b"no-colon").decode(),
         "invalid_client", "Invalid Authorization header."),
        ({}, "Basic d2ViLWNsaWVudDp4\u00e9\u00ff", "invalid_client",
         "Invalid Authorization header."),
        ({}, "Basic " + base64.b64encode(b":secret").decode(), "invalid_client",
         "Invalid Authorization header."),
        ({}, None, "invalid_request", "Could not determine client ID from request."),
        ({"client_id": "nobody", "client_secret": "x"}, None,
         "invalid_client", "The OAuth client was not found."),
        ({"client_id": "web-client"}, None, "invalid_request", "client_secret is missing."),
        ({"client_id": "web-client", "client_secret": "wrong"}, None,
         "invalid_client", "Unauthorized"),
        ({"client_id": "web-client", "client_secret": "other"}, None,
         "invalid_client", "Unauthorized"),
        ({"client_id": "gone", "client_secret": SECRET}, None,
         "deleted_client", "The OAuth client was deleted."),
        ({"client_id": "off", "client_secret": SECRET}, None,
         "disabled_client", "The OAuth client was disabled."),
    ],
    ids=["two-methods", "mismatched-client_id", "bad-base64", "no-colon", "non-ascii",
         "empty-client-id", "no-client",
         "unknown-client", "no-secret", "wrong-secret", "another-clients-secret", "deleted",
         "disabled"],
)
def test_rfc6749_5_2_refusals(
    params: dict[str, str], header: str | None, code: str, description: str
) -> None:
    """RFC 6749 §2.3 "MUST NOT use more than one authentication method"; §5.2
    invalid_client "Client authentication failed"; Google's wording (reference §1.3.4)."""
    with pytest.raises(OAuthError) as caught:
        authenticate(params, header)
    assert (caught.value.code, caught.value.description) == (code, description)


def test_every_enabled_secret_works_during_a_rotation() -> None:
    """Reference §1.12: two enabled secrets while one is rotated out."""
    both = replace(WEB, secret_hashes=(*WEB.secret_hashes, *OTHER.secret_hashes))
    lookup = {both.client_id: both}.get
    for secret in (SECRET, "other"):
        params = {"client_id": both.client_id, "client_secret": secret}
        assert client_auth.authenticate(params, None, lookup) is both


def test_discovery_lists_both_secret_methods() -> None:
    """Reference §1.8: token_endpoint_auth_methods_supported."""
    assert client_auth.METHODS == ("client_secret_post", "client_secret_basic")


class Counting:
    """An in-memory SecretThrottle: failures per client id, blocked from ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.failures: dict[str, int] = {}

    def blocked(self, client_id: str) -> int | None:
        return 60 if self.failures.get(client_id, 0) >= self.limit else None

    def failed(self, client_id: str) -> None:
        self.failures[client_id] = self.failures.get(client_id, 0) + 1


def test_failed_secrets_are_throttled_before_any_comparison() -> None:
    """Wrong secrets and unknown client ids count; past the limit even the right secret
    is refused (429 rate_limit_exceeded, with how long to wait), other clients are not."""
    throttle = Counting(2)
    wrong = {"client_id": "web-client", "client_secret": "wrong"}
    for _ in range(2):
        with pytest.raises(OAuthError) as caught:
            client_auth.authenticate(wrong, None, CLIENTS.get, throttle)
        assert caught.value.code == "invalid_client"
    right = {"client_id": "web-client", "client_secret": SECRET}
    with pytest.raises(errors.RateLimited) as limited:
        client_auth.authenticate(right, None, CLIENTS.get, throttle)
    assert (limited.value.status, limited.value.code, limited.value.retry_after) == (
        429, "rate_limit_exceeded", 60)
    other = {"client_id": "other-client", "client_secret": "other"}
    assert client_auth.authenticate(other, None, CLIENTS.get, throttle) is OTHER
    assert throttle.failures == {"web-client": 2}
    with pytest.raises(OAuthError):
        client_auth.authenticate({"client_id": "nobody", "client_secret": "x"}, None,
                                 CLIENTS.get, throttle)
    assert throttle.failures["nobody"] == 1
