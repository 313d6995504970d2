"""ID tokens end to end against a real ``accord serve`` (reference §1.3.1, §1.10): from the code
exchange and refresh, checked by the relying-party libraries people point at Google:
google-auth (``verify_token``, ``verify_oauth2_token``) and Authlib.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from google.oauth2 import id_token as google_id_token
from joserfc.errors import InvalidClaimError as ClaimRejected

from tests.browser import Browser
from tests.conftest import REDIRECT_URI, Server, World
from tests.flows import authorize, flow_for

with warnings.catch_warnings():  # authlib.jose is deprecated for joserfc, kept until 2.0
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey
    from authlib.jose import jwt as authlib_jwt
    from authlib.jose.errors import InvalidClaimError
from tests.e2e.openid.support import (
    ADA,
    EMAIL,
    GOOGLE_V1_CERTS,
    PROFILE,
    PROFILE_CLAIMS,
    SIGN_IN,
    SignIn,
    expected_at_hash,
    http,
    jwks,
    payload,
    sign_in,
    tokeninfo,
    verify,
)


# ID tokens from the code exchange (reference §1.3.1, §1.10) -----------------------------------
def test_code_exchange_id_token_verified_by_google_auth_with_both_cert_formats(
    server: Server, ada: SignIn
) -> None:
    cid = ada.world.client.client_id
    claims = verify(server, ada.id_token, cid, "v1")
    assert verify(server, ada.id_token, cid, "v3") == claims
    header = jwt.get_unverified_header(ada.id_token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"] in {k["kid"] for k in jwks(server)["keys"]}
    assert claims["iss"] == server.url
    assert claims["aud"] == claims["azp"] == cid
    assert claims["sub"] == ada.world.sub
    assert claims["email"] == ada.world.email and claims["email_verified"] is True
    assert claims["name"] == "Ada Lovelace"
    assert (claims["given_name"], claims["family_name"]) == ("Ada", "Lovelace")
    assert (claims["picture"], claims["locale"]) == (ADA.picture, ADA.locale)
    assert claims["at_hash"] == expected_at_hash(ada.access_token)
    assert claims["nonce"] == ada.nonce
    assert claims["exp"] == claims["iat"] + 3600
    # Google echoes email and profile in their URL forms (reference §1.1).
    assert sorted(ada.scope) == sorted([EMAIL, PROFILE, "openid"])


def test_openid_alone_gives_no_email_or_profile_claims(server: Server, world: World) -> None:
    got = sign_in(server, world, ["openid"])
    claims = verify(server, got.id_token, world.client.client_id)
    assert set(claims) == {"iss", "azp", "aud", "sub", "at_hash", "iat", "exp"}
    assert got.scope == ["openid"]


@pytest.mark.parametrize("scope", ["email", "profile"])
def test_email_or_profile_without_openid_still_gets_an_id_token(
    server: Server, world: World, scope: str
) -> None:
    """Reference §1.3.1: an ID token comes with openid *or* email/profile. Accord grants
    what was asked, without adding openid to the granted scope."""
    got = sign_in(server, world, [scope])
    claims = verify(server, got.id_token, world.client.client_id)
    assert claims["sub"] == world.sub and claims["at_hash"] == expected_at_hash(got.access_token)
    if scope == "email":
        assert claims["email"] == world.email and claims["email_verified"] is True
        assert not PROFILE_CLAIMS & set(claims)
        assert got.scope == [EMAIL]
    else:
        assert claims["name"] == "Test User" and "email" not in claims
        assert got.scope == [PROFILE]


def test_profile_claims_and_email_verified_follow_the_cli(server: Server, world: World) -> None:
    server.cli("users", "update", world.email, "--name", "Grace Hopper", "--given-name", "Grace",
               "--family-name", "Hopper", "--picture", "https://example.com/g.png",
               "--locale", "en-US")
    flow, browser = authorize(server, world, SIGN_IN)
    claims = verify(server, flow.credentials.id_token, world.client.client_id)
    assert {k: claims[k] for k in PROFILE_CLAIMS} == {
        "name": "Grace Hopper", "given_name": "Grace", "family_name": "Hopper",
        "picture": "https://example.com/g.png", "locale": "en-US",
    }
    assert claims["email_verified"] is True

    server.cli("users", "update", world.email, "--no-email-verified")
    # Signed in and consented already: the code is issued without a page, nonce and all.
    flow = flow_for(world, SIGN_IN)
    url, _state = flow.authorization_url(access_type="offline", nonce="second-visit")
    browser.open(url)
    assert browser.left_to is not None, browser.page.text
    flow.fetch_token(authorization_response=browser.left_to)
    claims = verify(server, flow.credentials.id_token, world.client.client_id)
    assert claims["nonce"] == "second-visit"
    assert claims["email_verified"] is False
    assert tokeninfo(server, flow.credentials.id_token).json()["email_verified"] == "false"


def test_refresh_of_a_sign_in_grant_returns_a_fresh_id_token(server: Server, world: World) -> None:
    got = sign_in(server, world, SIGN_IN, nonce="n-0S6_WzA2Mj ü/+=&")
    assert payload(got.id_token)["nonce"] == "n-0S6_WzA2Mj ü/+=&"  # passed through unmodified
    first = verify(server, got.id_token, world.client.client_id)
    creds = got.creds
    creds.refresh(http())  # type: ignore[no-untyped-call]
    assert creds.id_token and creds.id_token != got.id_token
    again = verify(server, creds.id_token, world.client.client_id)
    # OIDC Core §12.2: same iss, sub, aud and azp; a new iat; no nonce.
    for claim in ("iss", "sub", "aud", "azp", "email"):
        assert again[claim] == first[claim]
    assert again["iat"] >= first["iat"] and again["exp"] == again["iat"] + 3600
    assert again["at_hash"] == expected_at_hash(str(creds.token))
    assert "nonce" not in again


# verify_oauth2_token, unchanged, with ACCORD_ID_TOKEN_ISSUER (settings) -------------------------
@pytest.fixture
def google_issuer_server(
    server: Server, database_url: str, tmp_path: Path
) -> Iterator[Server]:
    """A second process on the same database; it shares the secret the keys are sealed with."""
    other = Server(database_url, tmp_path)
    other.env["ACCORD_SECRET_KEY"] = server.env["ACCORD_SECRET_KEY"]
    other.env["ACCORD_ID_TOKEN_ISSUER"] = "https://accounts.google.com"
    other.start()
    yield other
    other.stop()


def test_verify_oauth2_token_accepts_tokens_under_the_google_issuer(
    google_issuer_server: Server,
) -> None:
    srv = google_issuer_server
    world = srv.new_world()
    got = sign_in(srv, world, SIGN_IN)
    fetched: list[str] = []
    transport = http()

    def request(url: str, method: str = "GET", **kwargs: Any) -> Any:
        # google-auth hard-codes Google's v1 certs URL; the keys still come from Accord.
        if url == GOOGLE_V1_CERTS:
            url = srv.url + "/oauth2/v1/certs"
        fetched.append(url)
        return transport(url, method=method, **kwargs)

    claims = google_id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
        got.id_token, request, world.client.client_id
    )
    assert fetched == [srv.url + "/oauth2/v1/certs"]
    assert claims["iss"] == "https://accounts.google.com" and claims["sub"] == world.sub
    discovery = requests.get(srv.url + "/.well-known/openid-configuration").json()
    assert discovery["issuer"] == "https://accounts.google.com"
    assert discovery["jwks_uri"] == srv.url + "/oauth2/v3/certs"
    assert tokeninfo(srv, got.id_token).json()["iss"] == "https://accounts.google.com"


# Authlib ------------------------------------------------------------------------------------------
def test_authlib_decodes_and_validates_with_the_jwk_set(server: Server, ada: SignIn) -> None:
    keyset = JsonWebKey.import_key_set(jwks(server))
    cid = ada.world.client.client_id
    options = {"iss": {"essential": True, "value": server.url},
               "aud": {"essential": True, "value": cid}}
    claims = authlib_jwt.decode(ada.id_token, keyset, claims_options=options)
    claims.validate()
    assert claims["sub"] == ada.world.sub
    wrong = {**options, "aud": {"essential": True, "value": "someone-else"}}
    with pytest.raises(InvalidClaimError):
        authlib_jwt.decode(ada.id_token, keyset, claims_options=wrong).validate()


def test_authlib_oauth2_session_with_pkce_and_code_id_token(server: Server, world: World) -> None:
    meta = requests.get(server.url + "/.well-known/openid-configuration").json()
    cid = world.client.client_id
    client = OAuth2Session(cid, world.client.client_secret, scope="openid email profile",
                           redirect_uri=REDIRECT_URI, code_challenge_method="S256")
    verifier, nonce = generate_token(48), generate_token(20)
    url, _state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    browser = Browser(server.url)
    browser.open(url)
    browser.sign_in(world.email, world.password)
    browser.allow()
    assert browser.left_to is not None
    token = client.fetch_token(meta["token_endpoint"], authorization_response=browser.left_to,
                               code_verifier=verifier)
    assert set(token["scope"].split()) == {"openid", EMAIL, PROFILE}
    keyset = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"]).json())
    params = {"nonce": nonce, "client_id": cid, "access_token": token["access_token"]}
    options = {"iss": {"essential": True, "value": meta["issuer"]}}
    claims = authlib_jwt.decode(token["id_token"], keyset, claims_cls=CodeIDToken,
                                claims_options=options, claims_params=params)
    claims.validate()
    assert claims["nonce"] == nonce and claims["email"] == world.email
    for bad in ({"nonce": "other"}, {"access_token": "ya29.other"}):
        forged = authlib_jwt.decode(token["id_token"], keyset, claims_cls=CodeIDToken,
                                    claims_options=options, claims_params={**params, **bad})
        with pytest.raises(ClaimRejected):
            forged.validate()
