"""Helpers that run the web-server flow through Google's own libraries."""

from __future__ import annotations

from google_auth_oauthlib.flow import Flow

from tests.browser import Browser
from tests.conftest import REDIRECT_URI, Server, World


def flow_for(world: World, scopes: list[str]) -> Flow:
    flow = Flow.from_client_config(world.client.config, scopes=scopes)
    flow.redirect_uri = REDIRECT_URI
    return flow


def authorize(
    server: Server,
    world: World,
    scopes: list[str],
    browser: Browser | None = None,
    grant: list[str] | None = None,
    **params: str,
) -> tuple[Flow, Browser]:
    """Sign in (if needed), consent (granting ``grant``, default all) and exchange the code
    with google_auth_oauthlib's Flow (PKCE S256 by default). Returns the flow with its
    credentials, and the browser (still signed in)."""
    flow = flow_for(world, scopes)
    params.setdefault("access_type", "offline")
    url, _state = flow.authorization_url(**params)
    browser = browser or Browser(server.url)
    browser.open(url)
    if browser.left_to is None and "/signin?" in browser.page.url:
        browser.sign_in(world.email, world.password)
    if browser.left_to is None and "/signin/consent" in browser.page.url:
        browser.allow(grant)
    assert browser.left_to is not None, browser.page.text
    flow.fetch_token(authorization_response=browser.left_to)
    return flow, browser
