"""OpenID Connect response types and modes (OIDC Core §3.2, §3.3; Multiple Response Type
Encoding Practices; Form Post Response Mode) and the hd and claims parameters
(reference §1.1, §1.10)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import google.auth.transport.requests
import pytest
import requests
from google.oauth2 import id_token as google_id_token

from accord.protocol.id_token import at_hash
from tests.browser import Browser
from tests.conftest import DRIVE_META, REDIRECT_URI, Server, World

EMAIL = "https://www.googleapis.com/auth/userinfo.email"


def url(world: World, **params: str) -> str:
    query = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
             "scope": "openid email", "state": "st", "response_type": "code", **params}
    return world.client.config["web"]["auth_uri"] + "?" + urlencode(query)


def run(server: Server, world: World, **params: str) -> Browser:
    browser = Browser(server.url)
    browser.open(url(world, **params))
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    return browser


def fragment(browser: Browser) -> dict[str, str]:
    assert browser.left_to is not None
    parts = urlsplit(browser.left_to)
    assert parts.query == "", "nothing in the query with a fragment response"
    return {k: v[0] for k, v in parse_qs(parts.fragment).items()}


def verify(server: Server, world: World, token: str) -> dict[str, object]:
    return google_id_token.verify_token(  # type: ignore[no-any-return]
        token, google.auth.transport.requests.Request(), audience=world.client.client_id,
        certs_url=server.url + "/oauth2/v3/certs",
    )


def test_implicit_token_id_token_in_the_fragment(server: Server, world: World) -> None:
    """OIDC Core §3.2.2.5: access_token, token_type, expires_in, id_token (with at_hash and
    nonce), scope and state in the fragment; no code and no refresh token."""
    params = fragment(run(server, world, response_type="id_token token", nonce="n-1"))
    assert set(params) == {"access_token", "token_type", "expires_in", "scope", "id_token",
                           "state"}
    assert params["token_type"] == "Bearer" and params["expires_in"] == "3599"
    assert params["state"] == "st" and params["scope"].split() == sorted([EMAIL, "openid"])
    claims = verify(server, world, params["id_token"])
    assert claims["nonce"] == "n-1" and claims["at_hash"] == at_hash(params["access_token"])
    assert claims["sub"] == world.sub and claims["email"] == world.email
    info = requests.get(server.url + "/tokeninfo",
                        params={"access_token": params["access_token"]}).json()
    assert info["sub"] == world.sub


def test_implicit_id_token_only(server: Server, world: World) -> None:
    params = fragment(run(server, world, response_type="id_token", nonce="n-2"))
    assert set(params) == {"id_token", "scope", "state"}
    claims = verify(server, world, params["id_token"])
    assert claims["nonce"] == "n-2" and "at_hash" not in claims


def test_hybrid_code_id_token(server: Server, world: World) -> None:
    """OIDC Core §3.3.2.11: the ID token carries c_hash; the code is then exchanged."""
    params = fragment(run(server, world, response_type="code id_token", nonce="n-3"))
    assert {"code", "id_token", "state"} <= set(params)
    claims = verify(server, world, params["id_token"])
    assert claims["c_hash"] == at_hash(params["code"])
    body = requests.post(server.url + "/token", data={
        "code": params["code"], "client_id": world.client.client_id,
        "client_secret": world.client.client_secret, "redirect_uri": REDIRECT_URI,
        "grant_type": "authorization_code"}).json()
    assert verify(server, world, body["id_token"])["nonce"] == "n-3"


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a["action"]
        if tag == "input" and a.get("type") == "hidden":
            self.inputs[a["name"]] = a["value"]


def test_form_post_response_mode(server: Server, world: World) -> None:
    """Form Post Response Mode: an HTML form posting the response to the redirect URI."""
    browser = Browser(server.url)
    browser.open(url(world, response_type="code", response_mode="form_post"))
    browser.sign_in(world.email, world.password)
    browser.allow()
    assert browser.left_to is None and browser.page.status_code == 200
    parsed = _Inputs()
    parsed.feed(browser.page.text)
    assert parsed.action == REDIRECT_URI
    assert set(parsed.inputs) == {"state", "code", "scope"} and parsed.inputs["state"] == "st"
    assert "/static/form_post.js" in browser.page.text


def test_refusal_follows_the_response_mode(server: Server, world: World) -> None:
    browser = Browser(server.url)
    browser.open(url(world, response_type="token", scope=DRIVE_META))
    browser.sign_in(world.email, world.password)
    browser.deny()
    assert fragment(browser) == {"error": "access_denied", "state": "st"}


def test_claims_parameter_adds_auth_time(server: Server, world: World) -> None:
    """Reference §1.1 and §1.10: claims={"id_token":{"auth_time":{"essential":true}}}."""
    claims_param = '{"id_token":{"auth_time":{"essential":true}}}'
    params = fragment(run(server, world, response_type="id_token", nonce="n", claims=claims_param))
    claims = verify(server, world, params["id_token"])
    assert isinstance(claims["auth_time"], int) and claims["auth_time"] <= claims["iat"]
    plain = fragment(run(server, world, response_type="id_token", nonce="n"))
    assert "auth_time" not in verify(server, world, plain["id_token"])


@pytest.mark.parametrize("hd", ["other.example.org", "*"])
def test_hd_narrows_the_account_choice(server: Server, world: World, hd: str) -> None:
    """hd streamlines the UI to that domain's accounts; the client checks the claim itself."""
    other_email = f"someone-{world.sub[-6:]}@other.example.org"
    server.admin.create_user(other_email, world.password, "Other")
    browser = Browser(server.url)
    browser.open(url(world))
    browser.sign_in(world.email, world.password)
    browser.allow()
    browser.open(url(world, prompt="select_account"))
    browser.open(browser.page.url.replace("/signin/chooser", "/signin"))
    browser.sign_in(other_email, world.password)
    browser.allow()
    browser.open(url(world, hd=hd))
    if hd == "*":
        assert "/signin/chooser" in browser.page.url  # both accounts are candidates
        return
    code = browser.callback_params()["code"]
    body = requests.post(server.url + "/token", data={
        "code": code, "client_id": world.client.client_id,
        "client_secret": world.client.client_secret, "redirect_uri": REDIRECT_URI,
        "grant_type": "authorization_code"}).json()
    assert verify(server, world, body["id_token"])["email"] == other_email
