"""Google's refresh-token rules on a clocked server (days and months pass without sleeping):
the 100-token limit, six months unused, time-based access (reference §1.3.3).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from google.auth.exceptions import RefreshError

from tests.browser import Browser
from tests.clocked import ClockedServer
from tests.conftest import CALENDAR_RO, PASSWORD, World
from tests.flows import flow_for
from tests.policy_helpers import (
    credentials,
    refresh,
)

DAY = 24 * 3600


# Refresh-token rules (clocked server: days and months pass without sleeping) ---------
@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClockedServer]:
    srv = ClockedServer(
        tmp_path_factory.mktemp("clocked-policies"),
        time_based_access=True,
        refresh_tokens_per_user=150,
    )
    srv.start()
    yield srv
    srv.stop()


def _consent_again(clocked: ClockedServer, world: World, browser: Browser | None = None,
                   **allow: str) -> tuple[str, Browser]:
    """One more offline authorization with the consent page shown: a new refresh token."""
    flow = flow_for(world, [CALENDAR_RO])
    url, _ = flow.authorization_url(access_type="offline", prompt="consent")
    browser = browser or Browser(clocked.url)
    browser.open(url)
    if browser.left_to is None and "/signin?" in browser.page.url:
        browser.sign_in(world.email, world.password)
    browser.submit(allow or None, button=("action", "allow"), check=[CALENDAR_RO])
    assert browser.left_to is not None, browser.page.text
    flow.fetch_token(authorization_response=browser.left_to)
    return flow.credentials.refresh_token, browser


def test_google_101st_refresh_token_evicts_the_oldest_only(clocked: ClockedServer) -> None:
    """"100 refresh tokens per Google Account per OAuth client ID ... issuing a new one
    silently invalidates the oldest" (reference §1.3.3)."""
    world = clocked.new_world()
    tokens: list[str] = []
    browser = None
    for _ in range(101):
        token, browser = _consent_again(clocked, world, browser)
        tokens.append(token)
        clocked.clock.advance(1)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(credentials(world, tokens[0]))
    for token in (tokens[1], tokens[50], tokens[100]):
        refresh(credentials(world, token))


def test_google_refresh_tokens_per_user_across_clients(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The per-user limit across all clients (configurable; 3 here): the oldest goes."""
    srv = ClockedServer(tmp_path_factory.mktemp("per-user"), refresh_tokens_per_user=3)
    srv.start()
    try:
        world = srv.new_world()
        other = World(world.email, PASSWORD, "", srv.new_client(srv.new_project("Other")))
        order = [world, other, world, other]
        tokens = []
        for w in order:
            token, _ = _consent_again(srv, w)
            tokens.append((w, token))
            srv.clock.advance(1)
        with pytest.raises(RefreshError, match="invalid_grant"):
            refresh(credentials(*tokens[0]))
        for w, token in tokens[1:]:
            refresh(credentials(w, token))
    finally:
        srv.stop()


def test_google_refresh_token_unused_for_six_months_expires(clocked: ClockedServer) -> None:
    """"The refresh token has not been used for six months" (reference §1.3.3 item 2); each
    use starts the six months again."""
    world = clocked.new_world()
    token, _ = _consent_again(clocked, world)
    creds = credentials(world, token)
    clocked.clock.advance(182 * DAY)
    refresh(creds)
    clocked.clock.advance(182 * DAY)
    refresh(creds)
    clocked.clock.advance(184 * DAY)
    with pytest.raises(RefreshError, match="Token has been expired or revoked"):
        refresh(creds)


def test_google_time_based_access(clocked: ClockedServer) -> None:
    """Time-based access: the consent page offers a duration; the token response carries
    refresh_token_expires_in and the refresh token stops working after it (§1.2)."""
    world = clocked.new_world()
    flow = flow_for(world, [CALENDAR_RO])
    url, _ = flow.authorization_url(access_type="offline")
    browser = Browser(clocked.url)
    browser.open(url)
    browser.sign_in(world.email, world.password)
    assert 'name="duration"' in browser.page.text and "1 hour" in browser.page.text
    browser.submit({"duration": "3600"}, button=("action", "allow"), check=[CALENDAR_RO])
    flow.fetch_token(authorization_response=browser.left_to)
    assert flow.oauth2session.token["refresh_token_expires_in"] == 3600

    clocked.clock.advance(1800)
    body = requests.post(
        clocked.url + "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": flow.credentials.refresh_token,
            "client_id": world.client.client_id,
            "client_secret": world.client.client_secret,
        },
    ).json()
    assert body["refresh_token_expires_in"] == 1800
    clocked.clock.advance(1800)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(credentials(world, flow.credentials.refresh_token))


def test_expired_time_based_access_asks_consent_again(clocked: ClockedServer) -> None:
    """Once time-based access has run out, the app's next offline request (no
    prompt=consent) shows the consent page again and gets a new refresh token: the
    expired one no longer counts as live (reference §1.2)."""
    world = clocked.new_world()
    flow = flow_for(world, [CALENDAR_RO])
    browser = Browser(clocked.url)
    browser.open(flow.authorization_url(access_type="offline")[0])
    browser.sign_in(world.email, world.password)
    browser.submit({"duration": "3600"}, button=("action", "allow"), check=[CALENDAR_RO])
    flow.fetch_token(authorization_response=browser.left_to)
    clocked.clock.advance(3600)
    again = flow_for(world, [CALENDAR_RO])
    browser.open(again.authorization_url(access_type="offline")[0])
    assert browser.left_to is None and "/signin/consent" in browser.page.url
    browser.submit(None, button=("action", "allow"), check=[CALENDAR_RO])
    again.fetch_token(authorization_response=browser.left_to)
    assert again.credentials.refresh_token
    refresh(credentials(world, again.credentials.refresh_token))


def test_time_based_access_refuses_an_unknown_duration(clocked: ClockedServer) -> None:
    """A forged duration is refused, nothing is issued."""
    world = clocked.new_world()
    flow = flow_for(world, [CALENDAR_RO])
    browser = Browser(clocked.url)
    browser.open(flow.authorization_url(access_type="offline")[0])
    browser.sign_in(world.email, world.password)
    browser.submit({"duration": "99999999"}, button=("action", "allow"), check=[CALENDAR_RO])
    assert browser.left_to is None and browser.page.status_code == 400
