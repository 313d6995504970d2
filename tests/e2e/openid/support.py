"""Helpers of the OpenID Connect tests (reference §1.6-§1.10): token segments, verification with
google-auth, the published keys, and a sign-in through google_auth_oauthlib.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import google.auth.transport.requests
import jwt
import requests
from google.oauth2 import id_token as google_id_token
from google.oauth2.credentials import Credentials

from accord.services import Profile
from tests.conftest import Server, World
from tests.flows import authorize

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


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
