"""The authorization response (RFC 6749 §4.1.2, §4.2.2; OIDC Core §3.2.2.5, §3.3.2.5)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest

from accord.protocol.errors import AccessDenied
from accord.protocol.id_token import at_hash
from accord.protocol.messages import AuthorizationRequest
from accord.protocol.respond import AuthorizationResponse, refusal, respond
from accord.protocol.tokens import digest
from tests.protocol.fakes import WEB, code_grant, context, store_of


def request(**kw: object) -> AuthorizationRequest:
    base: dict[str, object] = {"client_id": WEB.client_id, "redirect_uri": WEB.redirect_uris[0],
                               "scopes": ("openid", "email"), "state": "st"}
    return AuthorizationRequest(**{**base, **kw})  # type: ignore[arg-type]


def test_rfc6749_4_1_2_code_response_is_state_code_scope() -> None:
    """RFC 6749 §4.1.2: code and state; Google's order is state, code, scope (reference §1.1)."""
    ctx = context()
    got = respond(ctx, WEB, request(), code_grant())
    assert list(got.params) == ["state", "code", "scope"]
    assert got.params["scope"] == "openid email" and got.mode == "query"
    assert digest(got.params["code"]) in store_of(ctx).codes


@pytest.mark.parametrize(
    ("types", "keys"),
    [
        (("token",), ["access_token", "token_type", "expires_in", "scope", "state"]),
        (("id_token",), ["scope", "id_token", "state"]),
        (("code", "token"), ["access_token", "token_type", "expires_in", "code", "scope",
                             "state"]),
        (("code", "id_token"), ["code", "scope", "id_token", "state"]),
        (("id_token", "token"), ["access_token", "token_type", "expires_in", "scope",
                                 "id_token", "state"]),
        (("code", "id_token", "token"), ["access_token", "token_type", "expires_in", "code",
                                         "scope", "id_token", "state"]),
    ],
    ids=["token", "id_token", "code-token", "code-id_token", "id_token-token", "all"],
)
def test_oidc_3_3_2_5_front_channel_responses(types: tuple[str, ...], keys: list[str]) -> None:
    """OIDC Core §3.2.2.5 and §3.3.2.5: what each response_type returns from the
    authorization endpoint; at_hash and c_hash bind the ID token to them (§3.3.2.11)."""
    got = respond(context(), WEB, request(response_type=types, response_mode="fragment",
                                          nonce="n"), code_grant(nonce="n"))
    assert list(got.params) == keys
    if "token" in types:
        assert (got.params["token_type"], got.params["expires_in"]) == ("Bearer", "3599")
    if "id_token" in types:
        claims = jwt.decode(got.params["id_token"], options={"verify_signature": False})
        assert claims["nonce"] == "n"
        assert claims.get("at_hash") == (at_hash(got.params["access_token"])
                                         if "token" in types else None)
        assert claims.get("c_hash") == (at_hash(got.params["code"]) if "code" in types else None)


@pytest.mark.parametrize(
    ("uri", "mode", "url"),
    [
        ("https://a.example/cb", "query", "https://a.example/cb?x=1&state=s"),
        ("https://a.example/cb?k=v", "query", "https://a.example/cb?k=v&x=1&state=s"),
        ("https://a.example/cb?k=v", "fragment", "https://a.example/cb?k=v#x=1&state=s"),
    ],
    ids=["query", "query-kept", "fragment"],
)
def test_rfc6749_3_1_2_redirect_uri_query_is_kept(uri: str, mode: str, url: str) -> None:
    """RFC 6749 §3.1.2: the endpoint URI "MAY include ... query component ... which MUST
    be retained when adding additional query parameters"."""
    assert AuthorizationResponse(uri, mode, {"x": "1", "state": "s"}).url == url


@pytest.mark.parametrize(("state", "params"), [("s t", {"error": "access_denied", "state": "s t"}),
                                               (None, {"error": "access_denied"})])
def test_rfc6749_4_1_2_1_refusal_carries_the_code_and_the_state(
    state: str | None, params: dict[str, str]
) -> None:
    """RFC 6749 §4.1.2.1: error, and state "if a state parameter was present"."""
    got = refusal(request(state=state), AccessDenied())
    assert got.params == params
    assert dict(parse_qsl(urlsplit(got.url).query)) == params
