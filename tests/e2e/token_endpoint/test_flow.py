"""The token endpoint in the web-server flow (reference §1.3): the response's shape, refresh
narrowing, client_secret_basic through requests-oauthlib.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import google.auth.transport.requests
import requests
from google.oauth2.credentials import Credentials
from requests_oauthlib import OAuth2Session

from tests.browser import Browser
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, Server, World
from tests.e2e.web_flow import (
    auth_url,
    exchange,
    tokeninfo,
)
from tests.flows import authorize


def test_token_response_shape(server: Server, world: World) -> None:
    """access_token ya29., expires_in 3599, token_type Bearer, scope, refresh_token 1//,
    Cache-Control: no-store (reference §1.3.1, RFC 6749 §5.1)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META], access_type="offline"))
    browser.sign_in(world.email, world.password)
    browser.allow()
    response = exchange(server, world, browser.callback_params()["code"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "scope", "token_type"}
    assert body["expires_in"] == 3599 and body["token_type"] == "Bearer"
    assert body["scope"] == DRIVE_META
    assert body["access_token"].startswith("ya29.") and len(body["access_token"]) <= 2048
    assert body["refresh_token"].startswith("1//") and len(body["refresh_token"]) <= 512


def test_refresh_may_narrow_but_never_widen(server: Server, world: World) -> None:
    """RFC 6749 §6 with google-auth's optional scope parameter (reference §1.3.2)."""
    flow, _ = authorize(server, world, [DRIVE_META, CALENDAR_RO])
    creds = Credentials(
        None,
        refresh_token=flow.credentials.refresh_token,
        token_uri=world.client.config["web"]["token_uri"],
        client_id=world.client.client_id,
        client_secret=world.client.client_secret,
        scopes=[CALENDAR_RO],
    )
    creds.refresh(google.auth.transport.requests.Request())
    assert tokeninfo(server, creds.token).json()["scope"] == CALENDAR_RO
    response = requests.post(server.url + "/token", data={
        "grant_type": "refresh_token",
        "refresh_token": flow.credentials.refresh_token,
        "client_id": world.client.client_id,
        "client_secret": world.client.client_secret,
        "scope": "https://www.googleapis.com/auth/drive",
    })
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


def test_requests_oauthlib_client_secret_basic(server: Server, world: World) -> None:
    """A standard OAuth client: requests-oauthlib with HTTP Basic client authentication."""
    session = OAuth2Session(world.client.client_id, redirect_uri=REDIRECT_URI, scope=[DRIVE_META])
    url, state = session.authorization_url(
        world.client.config["web"]["auth_uri"], access_type="offline"
    )
    browser = Browser(server.url)
    browser.open(url)
    browser.sign_in(world.email, world.password)
    browser.allow()
    assert parse_qs(urlsplit(browser.left_to).query)["state"] == [state]
    token = session.fetch_token(
        world.client.config["web"]["token_uri"],
        authorization_response=browser.left_to,
        client_secret=world.client.client_secret,
    )
    assert token["token_type"] == "Bearer" and token["refresh_token"].startswith("1//")
    refreshed = session.refresh_token(
        world.client.config["web"]["token_uri"],
        auth=(world.client.client_id, world.client.client_secret),
    )
    assert refreshed["access_token"] != token["access_token"]
