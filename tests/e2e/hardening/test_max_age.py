"""Issue 12: ``max_age`` (OIDC Core §3.1.2.1). A sign-in older than max_age seconds is
done again before anything is issued (max_age=0: every time, as prompt=login would), and
the ID token then carries ``auth_time`` (OIDC Core §2: REQUIRED when max_age was sent).

The relying party is Authlib's OAuth2Session (a standard OpenID Connect client: discovery
of the endpoints, nonce, PKCE S256); the user's browser is tests/browser.py; the ID token
is checked by google-auth's ``verify_token`` against Accord's certificates.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from tests.browser import Browser
from tests.conftest import REDIRECT_URI, Server, World
from tests.e2e.bad_input import assert_error_page
from tests.e2e.openid.support import verify

SCOPES = "openid email"


@pytest.fixture(autouse=True)
def _plain_http(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # Accord runs on http://127.0.0.1 here
    yield


@dataclass
class RelyingParty:
    server: Server
    world: World
    session: OAuth2Session
    config: dict[str, Any]
    verifier: str = ""
    nonce: str = ""

    def url(self, **params: str) -> str:
        self.verifier, self.nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
        url, _state = self.session.create_authorization_url(
            self.config["authorization_endpoint"], code_verifier=self.verifier,
            nonce=self.nonce, **params)
        return str(url)

    def finish(self, callback: str) -> dict[str, Any]:
        """Exchange the code and verify the ID token (google-auth), nonce included."""
        token = self.session.fetch_token(
            self.config["token_endpoint"], authorization_response=callback,
            code_verifier=self.verifier)
        claims = verify(self.server, token["id_token"], self.world.client.client_id)
        assert claims["nonce"] == self.nonce
        return claims


def relying_party(server: Server, world: World) -> RelyingParty:
    config = requests.get(server.url + "/.well-known/openid-configuration").json()
    session = OAuth2Session(world.client.client_id, world.client.client_secret, scope=SCOPES,
                            redirect_uri=REDIRECT_URI, code_challenge_method="S256")
    return RelyingParty(server, world, session, config)


def signed_in_browser(server: Server, world: World) -> tuple[Browser, RelyingParty]:
    """A browser that signed in and consented once (no max_age): the next flows need no page."""
    rp = relying_party(server, world)
    browser = Browser(server.url)
    browser.open(rp.url())
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    assert browser.left_to is not None
    claims = rp.finish(browser.left_to)
    assert "auth_time" not in claims  # neither max_age nor claims: Google's default
    return browser, rp


def on_signin_page(browser: Browser) -> bool:
    return browser.left_to is None and "/signin?" in browser.page.url


def test_max_age_0_asks_for_the_password_again(server: Server, world: World) -> None:
    browser, rp = signed_in_browser(server, world)
    asked_at = int(time.time())
    browser.open(rp.url(max_age="0"))
    assert on_signin_page(browser), browser.page.url
    assert f'value="{world.email}"' in browser.page.text  # the account to sign in again
    browser.sign_in(world.email, world.password)
    assert browser.left_to is not None  # consent was given before: straight back
    claims = rp.finish(browser.left_to)
    assert claims["auth_time"] >= asked_at - 1
    assert claims["auth_time"] <= claims["iat"]


def test_a_recent_sign_in_within_max_age_needs_no_page(server: Server, world: World) -> None:
    browser, rp = signed_in_browser(server, world)
    browser.open(rp.url(max_age="3600"))
    assert browser.left_to is not None, browser.page.url
    claims = rp.finish(browser.left_to)
    assert 0 < claims["auth_time"] <= claims["iat"]  # when the browser signed in, earlier


def test_a_sign_in_older_than_max_age_is_done_again(server: Server, world: World) -> None:
    browser, rp = signed_in_browser(server, world)
    time.sleep(2.2)  # the sign-in is now more than one second old
    browser.open(rp.url(max_age="1"))
    assert on_signin_page(browser)
    browser.sign_in(world.email, world.password)
    assert browser.left_to is not None
    claims = rp.finish(browser.left_to)
    assert claims["iat"] - claims["auth_time"] <= 1


def test_prompt_none_with_a_stale_sign_in_is_login_required(server: Server, world: World) -> None:
    browser, rp = signed_in_browser(server, world)
    browser.open(rp.url(max_age="0", prompt="none"))
    assert browser.left_to is not None
    answer = {k: v[0] for k, v in parse_qs(urlsplit(browser.left_to).query).items()}
    assert answer["error"] == "login_required" and "code" not in answer


def test_a_wrong_password_when_signing_in_again_issues_nothing(server: Server,
                                                              world: World) -> None:
    browser, rp = signed_in_browser(server, world)
    browser.open(rp.url(max_age="0"))
    browser.sign_in(world.email, "not the password")
    assert browser.page.status_code == 401 and browser.left_to is None


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "\u00b2", " 5", "1e3", "9" * 12])
def test_bad_max_age_is_invalid_request(server: Server, world: World, value: str) -> None:
    rp = relying_party(server, world)
    response = requests.get(rp.url(max_age=value), allow_redirects=False)
    assert_error_page(response, 400, "invalid_request", "Invalid max_age")
