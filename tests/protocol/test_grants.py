"""The token endpoint's dispatch: the grant first, then its caller (RFC 6749 §4.1.3, §5.2)."""

from __future__ import annotations

import pytest

from accord.protocol import grants
from accord.protocol.errors import OAuthError
from accord.protocol.grants.declare import CallerAuth
from tests.protocol.fakes import context


@pytest.mark.parametrize(
    ("params", "code", "description"),
    [
        ({}, "invalid_request", "Missing required parameter: grant_type"),
        ({"grant_type": "password"}, "unsupported_grant_type", "Invalid grant_type: password"),
        ({"grant_type": "password", "client_id": "nobody"},
         "unsupported_grant_type", "Invalid grant_type: password"),
        ({"grant_type": "authorization_code", "client_id": "nobody", "client_secret": "x"},
         "invalid_client", "The OAuth client was not found."),
        ({"grant_type": "refresh_token", "client_id": "web-client", "client_secret": "x"},
         "invalid_client", "Unauthorized"),
    ],
    ids=["no-grant_type", "unsupported", "unsupported-before-client", "code-unknown-client",
         "refresh-bad-secret"],
)
def test_rfc6749_5_2_grant_is_found_before_the_client_is_authenticated(
    params: dict[str, str], code: str, description: str
) -> None:
    """RFC 6749 §5.2: unsupported_grant_type "The authorization grant type is not supported
    by the authorization server"; the grant then says how its caller authenticates."""
    with pytest.raises(OAuthError) as caught:
        grants.token(context(), params, None)
    assert (caught.value.code, caught.value.description) == (code, description)


def test_each_grant_declares_itself() -> None:
    """Each grant module names its grant_type, parameters and caller authentication."""
    declared = {g.grant_type: (g.parameters, g.caller) for g in grants.GRANTS.values()}
    assert declared == {
        "authorization_code": (("code", "redirect_uri", "code_verifier"), CallerAuth.CLIENT_SECRET),
        "refresh_token": (("refresh_token", "scope"), CallerAuth.CLIENT_SECRET),
        "urn:ietf:params:oauth:grant-type:jwt-bearer": (("assertion",), CallerAuth.ASSERTION),
    }
    assert all(g.caller in grants.AUTHENTICATORS for g in grants.GRANTS.values())


def test_discovery_grant_types_come_from_the_registry() -> None:
    """OIDC Discovery §3 grant_types_supported; reference §1.8."""
    assert grants.grant_types() == [
        "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ]
