"""Accord's pages in real headless Chromium: the web-server flow end to end.

Google's client library builds the authorization URL and exchanges the code;
Chromium signs in, chooses accounts and consents the way a person would. The
client's redirect URI (http://localhost:8080/oauth2callback) is answered by a
small recording server that Chromium reaches through --host-resolver-rules
(tests/chromium.py). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
import requests
from google_auth_oauthlib.flow import Flow
from playwright.sync_api import BrowserContext

from accord.google.scopes import describe
from tests.chromium import PHONE, AccordPage, ClientSite
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, REDIRECT_URI, Server, World

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]

SCOPES = [DRIVE_META, CALENDAR_RO]
APP_NAME = "Zeta Notes & Co <beta>"  # must appear verbatim: escaped, not parsed as markup



@pytest.fixture
def tab(new_context: NewContext, server: Server, label: str) -> AccordPage:
    return AccordPage(new_context().new_page(), server.url, label)


@pytest.fixture
def app_world(server: Server) -> World:
    return server.new_world(APP_NAME)


def new_flow(world: World) -> tuple[Flow, str, str]:
    """Google's library builds the request: (flow, authorization URL, state)."""
    flow = Flow.from_client_config(world.client.config, scopes=SCOPES)
    flow.redirect_uri = REDIRECT_URI
    url, state = flow.authorization_url(access_type="offline", include_granted_scopes="true")
    return flow, url, state


def to_consent(tab: AccordPage, url: str, world: World) -> None:
    """Open the authorization URL and sign in: the tab ends on the consent page."""
    tab.open(url)
    tab.wait_for("/signin?")
    tab.sign_in(world.email, world.password)
    tab.wait_for("/signin/consent?")


def tokeninfo(server: Server, access_token: str) -> dict[str, str]:
    answer = requests.get(server.url + "/tokeninfo", params={"access_token": access_token})
    assert answer.status_code == 200, answer.text
    info: dict[str, str] = answer.json()
    return info


def test_web_server_flow(
    server: Server, app_world: World, tab: AccordPage, site: ClientSite
) -> None:
    callback = site.callback()
    flow, url, state = new_flow(app_world)
    page = tab.page

    tab.open(url)
    tab.wait_for("/signin?")
    assert page.get_by_text(APP_NAME).is_visible()
    tab.screenshot("01-signin")
    tab.sign_in(app_world.email, app_world.password)
    tab.wait_for("/signin/consent?")

    assert page.locator("h1").get_by_text(APP_NAME).is_visible()
    assert page.get_by_text(app_world.email).is_visible()
    for scope in SCOPES:
        assert page.get_by_text(describe(scope).description).is_visible()
    assert page.locator("input[name=scope]").count() == len(SCOPES)
    tab.screenshot("02-consent")
    tab.allow(SCOPES)
    tab.wait_for_client()
    assert page.title() == "Client (scripts ran)"
    tab.screenshot("03-back-at-client")

    assert callback.params()["state"] == state
    flow.fetch_token(authorization_response=callback.url)
    credentials = flow.credentials
    assert credentials.refresh_token
    assert set(credentials.granted_scopes) == set(SCOPES)
    info = tokeninfo(server, credentials.token)
    assert info["sub"] == app_world.sub
    assert set(info["scope"].split()) == set(SCOPES)


def test_granular_consent(
    server: Server,
    world: World,
    tab: AccordPage,
    site: ClientSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # oauthlib raises when the granted scope differs from the requested one unless told
    # to relax: granting fewer scopes than asked is what granular consent is.
    monkeypatch.setenv("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    callback = site.callback()
    flow, url, _state = new_flow(world)
    to_consent(tab, url, world)
    tab.allow([CALENDAR_RO])
    tab.wait_for_client()

    assert callback.params()["scope"] == CALENDAR_RO
    token = flow.fetch_token(authorization_response=callback.url)
    assert token["scope"] in ([CALENDAR_RO], CALENDAR_RO)
    assert tokeninfo(server, token["access_token"])["scope"] == CALENDAR_RO


def test_deny(world: World, tab: AccordPage, site: ClientSite) -> None:
    callback = site.callback()
    _flow, url, state = new_flow(world)
    to_consent(tab, url, world)
    tab.deny()
    tab.wait_for_client()

    params = callback.params()
    assert params["error"] == "access_denied"
    assert params["state"] == state
    assert "code" not in params


def test_works_without_javascript(
    server: Server, world: World, new_context: NewContext, site: ClientSite
) -> None:
    tab = AccordPage(new_context(java_script_enabled=False).new_page(), server.url)
    callback = site.callback()
    flow, url, _state = new_flow(world)
    to_consent(tab, url, world)
    tab.allow(SCOPES)
    tab.wait_for_client()
    assert tab.page.title() == "Client"  # the client page's script did not run

    flow.fetch_token(authorization_response=callback.url)
    assert flow.credentials.refresh_token
    assert set(flow.credentials.granted_scopes) == set(SCOPES)


def test_account_chooser(server: Server, world: World, tab: AccordPage, site: ClientSite) -> None:
    email, sub = server.new_user("Second User")
    second = World(email, PASSWORD, sub, world.client)

    # First account: nobody is signed in yet, so the sign-in page comes first.
    callback = site.callback()
    flow, url, _ = new_flow(world)
    to_consent(tab, url, world)
    tab.allow(SCOPES)
    tab.wait_for_client()
    flow.fetch_token(authorization_response=callback.url)

    # Second account: with one account signed in Accord would pick it, so ask for the
    # chooser and add another account from there.
    callback = site.callback()
    flow, url, _ = new_flow(second)
    tab.open(url + "&prompt=select_account")
    tab.wait_for("/signin/chooser?")
    tab.use_another_account()
    tab.wait_for("/signin?")
    tab.sign_in(second.email, second.password)
    tab.wait_for("/signin/consent?")
    assert tab.page.get_by_text(second.email).is_visible()
    tab.allow(SCOPES)
    tab.wait_for_client()
    flow.fetch_token(authorization_response=callback.url)

    # Third: two accounts are signed in, so the chooser lists both. Pick the first one.
    callback = site.callback()
    flow, url, _ = new_flow(world)
    tab.open(url)
    tab.wait_for("/signin/chooser?")
    accounts = tab.page.locator("button[name=account]")
    assert accounts.count() == 2
    for who in (world, second):
        assert accounts.filter(has_text=who.email).is_visible()
    tab.screenshot("04-chooser")
    tab.choose(world.email)
    tab.wait_for_client()  # granted before, with a live refresh token: no consent page

    flow.fetch_token(authorization_response=callback.url)
    assert tokeninfo(server, flow.credentials.token)["sub"] == world.sub


def test_pages_cannot_be_framed(
    server: Server, world: World, tab: AccordPage, site: ClientSite
) -> None:
    _flow, url, _ = new_flow(world)
    tab.open(url)
    tab.wait_for("/signin?")
    signin = tab.page.url
    framer = f"{site.origin}/framer?{urlencode({'src': signin})}"

    with tab.page.expect_response(signin) as framed:
        tab.open(framer)  # waits for the load event, which waits for both frames
    response = framed.value
    assert response.header_value("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in (response.header_value("content-security-policy") or "")

    # The control frame (same page, the client's own origin) renders; Accord's does not:
    # Chromium puts its error page there, so no frame ever holds an Accord document.
    control = tab.page.frame_locator("#control").locator("h1")
    assert control.inner_text() == "Back at the client"
    assert len(tab.page.frames) == 3
    assert [f.url for f in tab.page.frames if f.url.startswith(server.url)] == []
    tab.screenshot("05-framed")


def test_consent_form_needs_its_csrf_token(
    server: Server, world: World, tab: AccordPage, new_context: NewContext, site: ClientSite
) -> None:
    callback = site.callback()
    flow, url, _ = new_flow(world)
    to_consent(tab, url, world)
    consent = tab.page.url
    assert tab.page.locator("input[type=hidden][name=csrf]").get_attribute("value")

    tab.page.evaluate("document.querySelector('input[name=csrf]').value = 'tampered'")
    with tab.page.expect_response(lambda r: r.request.method == "POST") as posted:
        tab.allow(SCOPES)
    assert posted.value.status == 400
    tab.page.wait_for_load_state()
    assert "invalid_request" in tab.page.locator("#error-code").inner_text()
    tab.screenshot("06-csrf-error")
    assert callback.urls == []

    # Another browser (without this one's cookie) cannot use the consent page at all.
    other = AccordPage(new_context().new_page(), server.url)
    other.open(consent)
    assert other.page.locator("#error-code").is_visible()
    assert other.page.locator("form").count() == 0
    assert callback.urls == []

    # Nothing was used up: the real form, with its real token, still completes the flow.
    tab.open(consent)
    tab.allow(SCOPES)
    tab.wait_for_client()
    flow.fetch_token(authorization_response=callback.url)
    assert flow.credentials.refresh_token


def test_consent_page_fits_a_phone(
    server: Server, app_world: World, new_context: NewContext, label: str
) -> None:
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = AccordPage(context.new_page(), server.url, label)
    _flow, url, _ = new_flow(app_world)
    to_consent(tab, url, app_world)
    tab.screenshot("07-consent-phone")

    width = PHONE["width"]
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= width
    for button in ("#allow", "#deny"):
        box = tab.page.locator(button).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
