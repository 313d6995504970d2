"""The authorization request's checks (RFC 6749 §4.1.1, §4.1.2.1; OIDC Core §3; RFC 7636)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.protocol import authorize
from accord.protocol.errors import OAuthError
from accord.protocol.messages import AccessType, ClientStatus, Prompt
from tests.protocol.fakes import WEB, context

DESKTOP = replace(WEB, pk=5, client_id="desktop", kind="desktop",
                  redirect_uris=("http://127.0.0.1/cb",))
CLIENTS = {c.client_id: c for c in (WEB, DESKTOP, replace(WEB, pk=6, client_id="off",
           status=ClientStatus.DISABLED))}
CB = WEB.redirect_uris[0]
MISMATCH = ("The redirect URI in the request, {}, does not match the ones authorized for "
            "the OAuth client.")


def validate(**params: str) -> object:
    base = {"client_id": WEB.client_id, "redirect_uri": CB, "response_type": "code",
            "scope": "s1"}
    merged = {k: v for k, v in {**base, **params}.items() if v != "-"}
    return authorize.validate(merged, CLIENTS.get, context().scopes)


def test_rfc6749_4_1_1_a_valid_request_is_parsed() -> None:
    client, request = validate(scope="s1 s2", state="xyz", access_type="offline",
                               prompt="consent select_account", include_granted_scopes="true")
    assert client is WEB
    assert (request.scopes, request.state, request.access_type, request.prompt,
            request.include_granted_scopes, request.response_mode) == (
        ("s1", "s2"), "xyz", AccessType.OFFLINE, (Prompt.CONSENT, Prompt.SELECT_ACCOUNT), True,
        "query")


@pytest.mark.parametrize(
    ("params", "code", "description"),
    [
        ({"client_id": "-"}, "invalid_request", "Missing required parameter: client_id"),
        ({"client_id": "nobody"}, "invalid_client", "The OAuth client was not found."),
        ({"client_id": "off"}, "disabled_client", "The OAuth client was disabled."),
        ({"redirect_uri": "-"}, "invalid_request", "Missing required parameter: redirect_uri"),
        ({"redirect_uri": CB + "/"}, "redirect_uri_mismatch", MISMATCH.format(CB + "/")),
        ({"client_id": "-", "redirect_uri": "https://evil.example/"}, "invalid_request",
         "Missing required parameter: client_id"),
        ({"response_type": "-"}, "invalid_request", "Missing required parameter: response_type"),
        ({"response_type": "none"}, "unsupported_response_type", "Invalid response_type: none"),
        ({"response_mode": "web_message"}, "invalid_request",
         "Invalid response_mode: web_message"),
        ({"response_type": "token", "response_mode": "query"}, "invalid_request",
         "response_mode=query is not allowed with response_type token"),
        ({"scope": "-"}, "invalid_request", "Missing required parameter: scope"),
        ({"scope": " "}, "invalid_request", "Missing required parameter: scope"),
        ({"scope": "s1 nope"}, "invalid_scope",
         "Some requested scopes were invalid. {invalid=[nope]}"),
        ({"response_type": "id_token", "nonce": "n"}, "invalid_request",
         "response_type id_token needs the openid scope"),
        ({"response_type": "id_token", "scope": "openid"}, "invalid_request",
         "Missing required parameter: nonce"),
        ({"code_challenge_method": "S256"}, "invalid_request",
         "Missing required parameter: code_challenge"),
        ({"code_challenge": "c" * 43, "code_challenge_method": "S512"}, "invalid_request",
         "Invalid code_challenge_method: S512"),
        ({"code_challenge": "short"}, "invalid_request", "Invalid code_challenge."),
        ({"access_type": "forever"}, "invalid_request", "Invalid access_type: forever"),
        ({"include_granted_scopes": "yes"}, "invalid_request",
         "Invalid include_granted_scopes: yes"),
        ({"prompt": "login"}, "invalid_request", "Invalid prompt: login"),
        ({"prompt": "none consent"}, "invalid_request",
         "Invalid prompt: none must not be combined with other values"),
        ({"claims": "{"}, "invalid_request", "Invalid claims: not JSON"),
        ({"claims": "[]"}, "invalid_request", "Invalid claims: must be a JSON object of objects"),
    ],
    ids=["no-client_id", "unknown-client", "disabled-client", "no-redirect_uri",
         "unregistered-redirect_uri", "client-checked-before-redirect_uri", "no-response_type",
         "unsupported-response_type", "unknown-response_mode", "token-in-query", "no-scope",
         "blank-scope", "unknown-scope", "id_token-without-openid", "id_token-without-nonce",
         "method-without-challenge", "unknown-method", "malformed-challenge",
         "bad-access_type", "bad-include_granted_scopes", "unknown-prompt", "prompt-none-plus",
         "claims-not-json", "claims-not-object"],
)
def test_rfc6749_4_1_2_1_checks(params: dict[str, str], code: str, description: str) -> None:
    """RFC 6749 §4.1.2.1: the client and redirect URI are checked first, then the rest of
    the request; each check has Google's wording (reference §1.1)."""
    with pytest.raises(OAuthError) as caught:
        validate(**params)
    assert (caught.value.code, caught.value.description) == (code, description)


@pytest.mark.parametrize(
    ("uri", "ok"),
    [("http://127.0.0.1:4711/cb", True), ("http://127.0.0.1/cb", True),
     ("http://localhost:4711/cb", False), ("http://127.0.0.1:4711/other", False),
     ("https://127.0.0.1:4711/cb", False), ("http://127.0.0.1:x/cb", False)],
    ids=["any-port", "no-port", "other-host", "other-path", "https", "bad-port"],
)
def test_rfc8252_7_3_installed_apps_may_use_any_loopback_port(uri: str, ok: bool) -> None:
    """RFC 8252 §7.3: "MUST allow any port to be specified at the time of the request for
    loopback IP redirect URIs"."""
    assert authorize.registered(DESKTOP, uri) is ok


def test_response_types_are_order_insensitive_and_listed_for_discovery() -> None:
    """OAuth 2.0 Multiple Response Type Encoding Practices §5: the order does not matter."""
    _, request = validate(response_type="token code")
    assert request.response_type == ("code", "token") and request.response_mode == "fragment"
    assert authorize.RESPONSE_TYPES[0] == "code" and len(authorize.RESPONSE_TYPES) == 7


@pytest.mark.parametrize("value", ["-1", "x", "1.5", "\u00b2", " 5", "9" * 10])
def test_oidc_3_1_2_1_bad_max_age(value: str) -> None:
    with pytest.raises(OAuthError) as caught:
        validate(max_age=value)
    assert (caught.value.code, caught.value.description[:15]) == ("invalid_request", "Invalid max_age")


def test_max_age_asks_for_auth_time() -> None:
    """OIDC Core §2: auth_time is REQUIRED in the ID token when max_age was sent."""
    _, plain = validate()  # type: ignore[misc]
    _, aged = validate(max_age="0")  # type: ignore[misc]
    assert (plain.max_age, plain.auth_time_requested) == (None, False)
    assert (aged.max_age, aged.auth_time_requested) == (0, True)


def test_claims_nested_too_deep_is_invalid_request() -> None:
    with pytest.raises(OAuthError) as caught:
        validate(claims="[" * 1000 + "]" * 1000)
    assert caught.value.code == "invalid_request"
