"""The OpenID Connect discovery document (reference §1.8)."""

from __future__ import annotations

import requests

from tests.conftest import Server
from tests.e2e.openid.support import (
    SignIn,
    bearer,
    kid_of,
)


# Discovery (reference §1.8) -----------------------------------------------------------------------
def test_discovery_document_lists_endpoints_that_answer(server: Server, ada: SignIn) -> None:
    response = requests.get(server.url + "/.well-known/openid-configuration")
    assert response.status_code == 200
    meta = response.json()
    assert meta["issuer"] == server.url
    endpoints = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                 "revocation_endpoint", "jwks_uri"]
    for name in endpoints:
        assert meta[name].startswith(server.url + "/"), name
    for absent in ("introspection_endpoint", "registration_endpoint", "end_session_endpoint"):
        assert absent not in meta
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert meta["subject_types_supported"] == ["public"]
    assert "code" in meta["response_types_supported"]
    assert {"openid", "email", "profile"} <= set(meta["scopes_supported"])
    assert set(meta["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post", "client_secret_basic"}
    assert set(meta["code_challenge_methods_supported"]) == {"plain", "S256"}
    assert {"authorization_code", "refresh_token"} <= set(meta["grant_types_supported"])
    assert {"aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss",
            "name", "picture", "sub"} <= set(meta["claims_supported"])

    page = requests.get(meta["authorization_endpoint"])  # no parameters: Google's error page
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    token = requests.post(meta["token_endpoint"], data={})
    assert token.status_code == 400 and "error" in token.json()
    revoke = requests.post(meta["revocation_endpoint"], data={})
    assert revoke.status_code == 400 and "error" in revoke.json()
    kids = {k["kid"] for k in requests.get(meta["jwks_uri"]).json()["keys"]}
    assert kid_of(ada.id_token) in kids
    me = requests.get(meta["userinfo_endpoint"], headers=bearer(ada.access_token))
    assert me.status_code == 200 and me.json()["sub"] == ada.world.sub
