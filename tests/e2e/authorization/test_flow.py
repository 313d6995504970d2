"""Google's web-server flow, end to end through google-auth-oauthlib, google-auth and
requests-oauthlib against a real ``accord serve`` (reference §1.1-§1.6): the authorization
endpoint's choices (access type, consent, incremental and granular grants, prompt, hints).
"""

from __future__ import annotations

import google.auth.transport.requests
import pytest
import requests
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials

from tests.browser import Browser
from tests.conftest import CALENDAR_RO, DRIVE_META, Server, World
from tests.e2e.web_flow import (
    EMAIL,
    auth_url,
    exchange,
    tokeninfo,
)
from tests.flows import authorize, flow_for


def test_seed_flow_authorize_exchange_refresh_revoke(server: Server, world: World) -> None:
    """The seed's whole flow: offline access with PKCE, refresh through google-auth,
    then revocation kills both tokens (reference §1.3.1, §1.3.2, §1.5)."""
    flow, _ = authorize(server, world, [DRIVE_META, CALENDAR_RO], include_granted_scopes="true")
    creds = flow.credentials
    assert creds.token.startswith("ya29.")
    assert creds.refresh_token.startswith("1//")
    assert sorted(creds.granted_scopes) == sorted([DRIVE_META, CALENDAR_RO])

    refreshed = Credentials(
        token=None,
        refresh_token=creds.refresh_token,
        token_uri=world.client.config["web"]["token_uri"],
        client_id=world.client.client_id,
        client_secret=world.client.client_secret,
    )
    refreshed.refresh(google.auth.transport.requests.Request())
    assert refreshed.token.startswith("ya29.") and refreshed.token != creds.token
    assert refreshed.refresh_token == creds.refresh_token  # Google does not rotate

    assert requests.post(server.url + "/revoke", params={"token": creds.token}).status_code == 200
    for token in (creds.token, refreshed.token):
        assert tokeninfo(server, token).json() == {
            "error": "invalid_token",
            "error_description": "Invalid Value",
        }
    with pytest.raises(RefreshError, match="Token has been expired or revoked."):
        refreshed.refresh(google.auth.transport.requests.Request())


def test_online_access_is_the_default_and_gets_no_refresh_token(server: Server, world: World) -> None:
    """access_type defaults to online; only offline access gets a refresh token (reference §1.1)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META], state="xyz"))
    browser.sign_in(world.email, world.password)
    browser.allow()
    params = browser.callback_params()
    assert params["state"] == "xyz" and params["scope"] == DRIVE_META
    body = exchange(server, world, params["code"]).json()
    assert "refresh_token" not in body
    assert tokeninfo(server, body["access_token"]).json()["access_type"] == "online"


def test_refresh_token_only_on_first_consent_or_when_consent_is_shown_again(
    server: Server, world: World
) -> None:
    """A refresh token comes with the first offline consent; later authorizations skip the
    consent page and bring none, until prompt=consent shows it again (reference §1.2)."""
    flow, browser = authorize(server, world, [DRIVE_META])
    assert flow.credentials.refresh_token

    again = flow_for(world, [DRIVE_META])
    url, _ = again.authorization_url(access_type="offline")
    browser.open(url)
    assert browser.left_to is not None, "consent should have been skipped"
    again.fetch_token(authorization_response=browser.left_to)
    assert again.credentials.refresh_token is None

    third = flow_for(world, [DRIVE_META])
    url, _ = third.authorization_url(access_type="offline", prompt="consent")
    browser.open(url)
    assert browser.left_to is None and "/signin/consent" in browser.page.url
    browser.allow()
    third.fetch_token(authorization_response=browser.left_to)
    assert third.credentials.refresh_token not in (None, flow.credentials.refresh_token)


def test_incremental_authorization_covers_every_scope_granted_to_the_project(
    server: Server, world: World
) -> None:
    """include_granted_scopes=true: the new tokens cover the union of the project's grants,
    across its clients; without it, only what was asked (reference §1.1, §1.2)."""
    first, browser = authorize(server, world, [DRIVE_META])
    other_client = server.new_client(world.client.project_id)
    second_world = World(world.email, world.password, world.sub, other_client)
    second, _ = authorize(
        server, second_world, [CALENDAR_RO], browser=browser, include_granted_scopes="true"
    )
    assert sorted(second.credentials.granted_scopes) == sorted([DRIVE_META, CALENDAR_RO])
    info = tokeninfo(server, second.credentials.token).json()
    assert info["scope"].split() == sorted([DRIVE_META, CALENDAR_RO])

    third, _ = authorize(server, world, [CALENDAR_RO], browser=browser)
    assert third.credentials.granted_scopes == [CALENDAR_RO]


def test_granular_consent_grants_the_ticked_subset(server: Server, world: World) -> None:
    """Each non-sign-in scope has its own checkbox; the response scope is what was granted
    (reference §1.2, granular consent)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, ["openid", "email", DRIVE_META, CALENDAR_RO], state="s1"))
    browser.sign_in(world.email, world.password)
    browser.allow([CALENDAR_RO])
    params = browser.callback_params()
    assert params["scope"].split() == sorted([CALENDAR_RO, EMAIL, "openid"])
    body = exchange(server, world, params["code"]).json()
    assert body["scope"].split() == sorted([CALENDAR_RO, EMAIL, "openid"])
    info = tokeninfo(server, body["access_token"]).json()
    assert info["email"] == world.email and info["email_verified"] == "true"


def test_sign_in_scopes_have_no_checkbox(server: Server, world: World) -> None:
    """openid/email/profile are granted together without a checkbox (reference §1.2)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, ["openid", "email", "profile", DRIVE_META]))
    browser.sign_in(world.email, world.password)
    html = browser.page.text
    assert html.count('name="scope"') == 1 and f'value="{DRIVE_META}"' in html
    assert "Test App" in html and world.email in html


def test_user_refusal_redirects_access_denied_with_state(server: Server, world: World) -> None:
    """RFC 6749 §4.1.2.1: the user's refusal goes back as error=access_denied with state."""
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META], state="keep-me"))
    browser.sign_in(world.email, world.password)
    browser.deny()
    assert browser.callback_params() == {"error": "access_denied", "state": "keep-me"}


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("signed_out", "login_required"),
        ("signed_in_no_consent", "consent_required"),
        ("two_accounts", "interaction_required"),
    ],
)
def test_oidc_3_1_2_6_prompt_none_errors_redirect(
    server: Server, world: World, setup: str, expected: str
) -> None:
    """prompt=none never shows a page: it redirects the OIDC error with state."""
    browser = Browser(server.url)
    if setup != "signed_out":
        browser.open(auth_url(world, ["openid"]))
        browser.sign_in(world.email, world.password)
        browser.allow()
    if setup == "two_accounts":
        email, _ = server.new_user()
        browser.open(auth_url(world, ["openid"], prompt="select_account"))
        browser.open(browser.page.url.replace("/signin/chooser", "/signin"))
        browser.sign_in(email, world.password)
        browser.allow()
    browser.open(auth_url(world, [DRIVE_META] if setup != "two_accounts" else ["openid"],
                          prompt="none", state="st"))
    assert browser.callback_params() == {"error": expected, "state": "st"}


def test_prompt_none_succeeds_silently_when_nothing_is_needed(server: Server, world: World) -> None:
    flow, browser = authorize(server, world, [DRIVE_META])
    url, state = flow_for(world, [DRIVE_META]).authorization_url(prompt="none")
    browser.open(url)
    params = browser.callback_params()
    assert params["state"] == state and "code" in params


def test_login_hint_and_select_account(server: Server, world: World) -> None:
    """login_hint (email or sub) picks among signed-in accounts; prompt=select_account
    always shows the chooser; several accounts and no hint show it too (reference §1.1)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, ["openid"]))
    browser.sign_in(world.email, world.password)
    browser.allow()
    other_email, other_sub = server.new_user()
    browser.open(auth_url(world, ["openid"], login_hint=other_email))
    assert "/signin?" in browser.page.url and f'value="{other_email}"' in browser.page.text
    browser.sign_in(other_email, world.password)
    browser.allow()

    browser.open(auth_url(world, ["openid"]))
    assert "/signin/chooser" in browser.page.url
    assert world.email in browser.page.text and other_email in browser.page.text
    browser.choose(world.sub)
    code = browser.callback_params()["code"]
    token = exchange(server, world, code).json()["access_token"]
    assert tokeninfo(server, token).json()["sub"] == world.sub

    for hint, sub in ((other_sub, other_sub), (world.email.upper(), world.sub)):
        browser.open(auth_url(world, ["openid"], login_hint=hint))
        token = exchange(server, world, browser.callback_params()["code"]).json()["access_token"]
        assert tokeninfo(server, token).json()["sub"] == sub

    browser.open(auth_url(world, ["openid"], prompt="select_account", login_hint=world.email))
    assert "/signin/chooser" in browser.page.url


def test_grants_are_per_project_and_revocation_covers_every_client(
    server: Server, world: World
) -> None:
    """Consent is kept per user and project: a second client of the project skips it for
    online access (offline access asks once per client, so that client gets its own refresh
    token). Revoking any token revokes the user's whole grant to the project (reference §1.5)."""
    first, browser = authorize(server, world, [DRIVE_META])
    sibling = World(world.email, world.password, world.sub, server.new_client(world.client.project_id))
    flow = flow_for(sibling, [DRIVE_META])
    url, _ = flow.authorization_url(access_type="online")
    browser.open(url)
    assert browser.left_to is not None, "consent is per project, not per client"
    flow.fetch_token(authorization_response=browser.left_to)
    url, _ = flow_for(sibling, [DRIVE_META]).authorization_url(access_type="offline")
    browser.open(url)
    assert "/signin/consent" in browser.page.url, "offline access: consent once per client"

    stranger = server.new_world()
    other_project, _ = authorize(server, World(world.email, world.password, world.sub,
                                               stranger.client), [DRIVE_META], browser=browser)

    response = requests.post(server.url + "/revoke", data={"token": first.credentials.refresh_token})
    assert response.status_code == 200
    assert tokeninfo(server, first.credentials.token).status_code == 400
    assert tokeninfo(server, flow.credentials.token).status_code == 400
    assert tokeninfo(server, other_project.credentials.token).status_code == 200

    again = flow_for(sibling, [DRIVE_META])
    url, _ = again.authorization_url()
    browser.open(url)
    assert "/signin/consent" in browser.page.url, "the grant is gone: consent is asked again"
