"""OpenID Connect end to end against a real ``accord serve`` (reference §1.6-§1.10): ID tokens
from the code exchange and refresh, the published keys and their rotation, discovery,
userinfo and tokeninfo, checked by the relying-party libraries people point at Google:
google-auth (``verify_token``, ``verify_oauth2_token``) and Authlib."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth.transport.requests
import jwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import id_token as google_id_token
from google.oauth2.credentials import Credentials
from joserfc.errors import InvalidClaimError as ClaimRejected

from accord.cli.wiring import key_ring
from accord.clock import SystemClock
from accord.services import Profile
from accord.settings import Settings
from tests.browser import Browser
from tests.conftest import REDIRECT_URI, Server, World
from tests.flows import authorize, flow_for

with warnings.catch_warnings():  # authlib.jose is deprecated for joserfc, kept until 2.0
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey
    from authlib.jose import jwt as authlib_jwt
    from authlib.jose.errors import InvalidClaimError

AUTH = "https://www.googleapis.com/auth/"
EMAIL, PROFILE = AUTH + "userinfo.email", AUTH + "userinfo.profile"
SIGN_IN = ["openid", "email", "profile"]
PROFILE_CLAIMS = {"name", "given_name", "family_name", "picture", "locale"}
ADA = Profile(
    given_name="Ada", family_name="Lovelace", picture="https://example.com/ada.png", locale="en-GB"
)
GOOGLE_V1_CERTS = "https://www.googleapis.com/oauth2/v1/certs"  # hard-coded in google-auth


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def expected_at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6: base64url of the left half of SHA-256 over the token's ASCII."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16])


def http() -> google.auth.transport.requests.Request:
    return google.auth.transport.requests.Request()


def verify(server: Server, token: str, client_id: str, version: str = "v3") -> dict[str, Any]:
    certs = f"{server.url}/oauth2/{version}/certs"
    claims = google_id_token.verify_token(token, http(), audience=client_id, certs_url=certs)
    return dict(claims)


def jwks(server: Server) -> dict[str, Any]:
    body: dict[str, Any] = requests.get(server.url + "/oauth2/v3/certs").json()
    return body


def kid_of(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def tokeninfo(server: Server, token: str) -> requests.Response:
    return requests.get(server.url + "/tokeninfo", params={"id_token": token})


def segments(token: str) -> list[str]:
    return token.split(".")


def payload(token: str) -> dict[str, Any]:
    seg = segments(token)[1]
    body: dict[str, Any] = json.loads(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4)))
    return body


def flip(segment: str, at: int) -> str:
    """One base64url character changed (all six of its bits carry data away from the end)."""
    return segment[:at] + ("B" if segment[at] == "A" else "A") + segment[at + 1 :]


@dataclass
class SignIn:
    world: World
    creds: Credentials
    access_token: str
    id_token: str
    nonce: str
    scope: list[str]  # the token response's, as oauthlib parsed it


def sign_in(server: Server, world: World, scopes: list[str], **params: str) -> SignIn:
    flow, _ = authorize(server, world, scopes, None, None, **params)
    creds = flow.credentials
    assert isinstance(creds.token, str) and isinstance(creds.id_token, str)
    scope = flow.oauth2session.token["scope"]
    return SignIn(world, creds, creds.token, creds.id_token, params.get("nonce", ""), scope)


@pytest.fixture(scope="module")
def ada(server: Server) -> SignIn:
    """A user with every profile claim, signed in with openid email profile and a nonce."""
    world = server.new_world()
    server.admin.update_user(world.email, "Ada Lovelace", ADA)
    return sign_in(server, world, SIGN_IN, nonce=secrets.token_urlsafe(16))


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


# Userinfo (reference §1.7) ------------------------------------------------------------------------
def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/v1/userinfo", "/oauth2/v3/userinfo"])
def test_openid_userinfo_claims_follow_the_scopes(server: Server, ada: SignIn, path: str) -> None:
    me = requests.get(server.url + path, headers=bearer(ada.access_token))
    assert me.status_code == 200
    assert me.json() == {
        "sub": ada.world.sub, "name": "Ada Lovelace", "given_name": "Ada",
        "family_name": "Lovelace", "picture": ADA.picture, "locale": ADA.locale,
        "email": ada.world.email, "email_verified": True,
    }
    assert requests.post(server.url + path, headers=bearer(ada.access_token)).json() == me.json()


def test_userinfo_without_email_or_profile_scopes(server: Server, world: World) -> None:
    only = sign_in(server, world, ["openid"])
    me = requests.get(server.url + "/v1/userinfo", headers=bearer(only.access_token))
    assert me.json() == {"sub": world.sub}
    legacy = requests.get(server.url + "/oauth2/v2/userinfo", headers=bearer(only.access_token))
    assert legacy.json() == {"id": world.sub}


@pytest.mark.parametrize("path", ["/oauth2/v2/userinfo", "/userinfo/v2/me"])
def test_legacy_userinfo_shape(server: Server, ada: SignIn, path: str) -> None:
    me = requests.get(server.url + path, headers=bearer(ada.access_token))
    assert me.status_code == 200
    assert me.json() == {
        "id": ada.world.sub, "email": ada.world.email, "verified_email": True,
        "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
        "picture": ADA.picture, "locale": ADA.locale,
    }


def test_userinfo_missing_and_revoked_tokens_get_the_google_401(
    server: Server, world: World
) -> None:
    realm = f'Bearer realm="{server.url}/"'
    missing = requests.get(server.url + "/v1/userinfo")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == realm
    error = missing.json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert error["errors"][0]["reason"] == "required"
    assert error["details"][0]["reason"] == "CREDENTIALS_MISSING"

    got = sign_in(server, world, SIGN_IN)
    assert requests.get(server.url + "/v1/userinfo", headers=bearer(got.access_token)).ok
    assert requests.post(server.url + "/revoke", data={"token": got.access_token}).ok
    for path in ("/v1/userinfo", "/oauth2/v3/userinfo", "/oauth2/v2/userinfo"):
        revoked = requests.get(server.url + path, headers=bearer(got.access_token))
        assert revoked.status_code == 401, path
        assert revoked.headers["www-authenticate"] == realm + ', error="invalid_token"'
        error = revoked.json()["error"]
        assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
        assert error["errors"][0]["reason"] == "authError"


# Tokeninfo for ID tokens (reference §1.6) ---------------------------------------------------------
def test_tokeninfo_merges_header_and_claims_as_strings(server: Server, ada: SignIn) -> None:
    claims = verify(server, ada.id_token, ada.world.client.client_id)
    header = jwt.get_unverified_header(ada.id_token)
    for info in (
        tokeninfo(server, ada.id_token),
        requests.post(server.url + "/tokeninfo", data={"id_token": ada.id_token}),
        requests.get(server.url + "/oauth2/v3/tokeninfo", params={"id_token": ada.id_token}),
    ):
        assert info.status_code == 200
        body = info.json()
        assert all(isinstance(v, str) for v in body.values())
        assert set(body) == set(claims) | {"alg", "kid", "typ"}
        assert (body["alg"], body["typ"], body["kid"]) == ("RS256", "JWT", header["kid"])
        assert body["email_verified"] == "true"
        assert (body["iat"], body["exp"]) == (str(claims["iat"]), str(claims["exp"]))
        assert body["aud"] == body["azp"] == ada.world.client.client_id
        assert body["iss"] == server.url and body["sub"] == ada.world.sub
        assert body["nonce"] == ada.nonce and body["at_hash"] == claims["at_hash"]


def ring_key(server: Server) -> tuple[str, rsa.RSAPrivateKey]:
    """The key the server signs with, read from the database as ``accord keys`` does."""
    key = key_ring(Settings.from_env(server.env)).signing_key(SystemClock().now())
    return key.kid, key.private_key


def seal(claims: dict[str, Any], key: Any, kid: str, alg: str = "RS256") -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def test_tokeninfo_refuses_a_token_for_an_audience_it_does_not_know(
    server: Server, ada: SignIn
) -> None:
    """Signed with the server's own key, but for no client of this server: refused. (Tokeninfo
    reports ``aud`` and leaves matching it to the caller's own client ID.)"""
    kid, key = ring_key(server)
    for aud in ("someone-else", ["a", "b"]):
        other = seal({**payload(ada.id_token), "aud": aud}, key, kid)
        response = tokeninfo(server, other)
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_token", "error_description": "Invalid Value"}
    sibling = server.new_client(ada.world.client.project_id)
    mine = seal({**payload(ada.id_token), "aud": sibling.client_id}, key, kid)
    assert tokeninfo(server, mine).json()["aud"] == sibling.client_id


def test_tokeninfo_rejects_forged_expired_and_foreign_tokens(server: Server, ada: SignIn) -> None:
    kid, key = ring_key(server)
    claims = payload(ada.id_token)
    head, body, sig = segments(ada.id_token)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    none_header = b64url(json.dumps({"alg": "none", "kid": kid, "typ": "JWT"}).encode())
    resigned = {**claims, "sub": "1" + claims["sub"]}
    bad = {
        "signature flipped": f"{head}.{body}.{flip(sig, len(sig) // 2)}",
        "payload flipped": f"{head}.{flip(body, len(body) // 2)}.{sig}",
        "payload changed": f"{head}.{b64url(json.dumps(resigned).encode())}.{sig}",
        "expired": seal({**claims, "iat": claims["iat"] - 7200, "exp": claims["exp"] - 7200},
                        key, kid),
        "another issuer": seal({**claims, "iss": "https://accounts.google.com"}, key, kid),
        "issued in the future": seal({**claims, "iat": claims["iat"] + 3600,
                                      "exp": claims["exp"] + 3600}, key, kid),
        "exp as a string": seal({**claims, "exp": str(claims["exp"])}, key, kid),
        "no sub": seal({k: v for k, v in claims.items() if k != "sub"}, key, kid),
        "unpublished key": seal(claims, stranger, "0" * 40),
        "published kid, wrong key": seal(claims, stranger, kid),
        "alg none": f"{none_header}.{body}.",
        "HS256 keyed with the public key": hs256(claims, public_pem, kid),
        "an access token": ada.access_token,
        "garbage": "not-a-jwt",
    }
    assert tokeninfo(server, seal(claims, key, kid)).status_code == 200  # the control
    for what, token in bad.items():
        response = tokeninfo(server, token)
        assert response.status_code == 400, what
        assert response.json() == {"error": "invalid_token", "error_description": "Invalid Value"}


def hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """Algorithm confusion (RFC 8725 §2.1), built by hand: PyJWT refuses PEM keys as secrets."""
    head = b64url(json.dumps({"alg": "HS256", "kid": kid, "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


# Key rotation while tokens are live (reference §1.9) ----------------------------------------------
def test_rotation_keeps_live_tokens_verifiable(server: Server, ada: SignIn) -> None:
    """Runs last in this module: it rotates the shared server's key and restarts it, since
    each process re-reads the keys only every ``cache_seconds`` (accord/storage/keys.py)."""
    old = ada.id_token
    server.cli("keys", "rotate", "--now")
    server.stop()
    server.start()
    world = server.new_world()
    new = sign_in(server, world, SIGN_IN).id_token
    assert kid_of(new) != kid_of(old)
    assert {kid_of(old), kid_of(new)} <= {k["kid"] for k in jwks(server)["keys"]}
    for version in ("v1", "v3"):
        assert verify(server, old, ada.world.client.client_id, version)["sub"] == ada.world.sub
        assert verify(server, new, world.client.client_id, version)["sub"] == world.sub
    assert tokeninfo(server, old).status_code == 200
