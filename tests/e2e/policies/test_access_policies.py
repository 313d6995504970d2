"""Organizations' policies and Google's refresh-token rules, end to end through
google_auth_oauthlib, google-auth and headless Chromium (reference §1.1, §1.2, §1.3.3).
Each error is checked where Google shows it: a page, or the token endpoint."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import google.auth.transport.requests
import pytest
import requests
from google.auth.exceptions import RefreshError
from google.oauth2 import id_token as google_id_token
from playwright.sync_api import sync_playwright

from accord.google import paths
from accord.storage.audit import AuditLog
from tests.browser import Browser
from tests.chromium import CHROMIUM, LAUNCH_ARGS
from tests.clocked import ClockedServer
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, Server, World
from tests.flows import authorize, flow_for
from tests.policy_helpers import (
    OP,
    credentials,
    new_org,
    org_user,
    orgs,
    projects,
    refresh,
)

DAY = 24 * 3600
EMAIL = "https://www.googleapis.com/auth/userinfo.email"
ANDROID_WEBVIEW = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.71 Mobile Safari/537.36"
)
IOS_WKWEBVIEW = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148"
)
FACEBOOK_IAB = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/466.0.0.38.109;FBBV/600000000;FBDV/iPhone15,2]"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.6478.71 Mobile Safari/537.36"
)
SAFARI_IOS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _page_error(server: Server, world: World, scopes: list[str], email: str) -> Browser:
    """Sign in and stop where Accord stops: on a page (an error) or back at the client."""
    url, _ = flow_for(world, scopes).authorization_url()
    browser = Browser(server.url)
    browser.open(url)
    if browser.left_to is None and "/signin?" in browser.page.url:
        browser.sign_in(email, PASSWORD)
    return browser


def _text(browser: Browser) -> str:
    return re.sub(r"\s+", " ", browser.page.text)


# Organizations: internal apps -------------------------------------------------------
def test_google_org_internal_app_refuses_outsiders(server: Server) -> None:
    """An internal app of an organization's project: its users may authorize it (and carry
    ``hd``), anyone else gets Google's org_internal page, 403 (reference §1.1, §1.10)."""
    org_id, domain = new_org(server)
    insider = org_user(server, org_id, domain)
    project_id = "p-int-" + os.urandom(4).hex()
    projects(server).create(OP, project_id, "Internal Tool", org_id=org_id)
    projects(server).update_consent_screen(OP, project_id, user_type="internal")
    client = server.new_client(project_id)
    outsider, _ = server.new_user()

    refused = _page_error(server, World(outsider, PASSWORD, "", client), ["openid"], outsider)
    assert refused.left_to is None and refused.page.status_code == 403
    assert "Error 403: org_internal" in _text(refused)

    world = World(insider, PASSWORD, "", client)
    flow, _ = authorize(server, world, ["openid", EMAIL])
    claims = google_id_token.verify_token(
        flow.credentials.id_token,
        google.auth.transport.requests.Request(),
        audience=client.client_id,
        certs_url=server.url + paths.CERTS_V1,
    )
    assert claims["hd"] == domain and claims["email"] == insider


def test_google_hd_is_absent_for_accounts_outside_organizations(
    server: Server, world: World
) -> None:
    """``hd`` is "provided only if the user belongs to a ... organization" (§1.10)."""
    flow, _ = authorize(server, world, ["openid", EMAIL])
    claims = google_id_token.verify_token(
        flow.credentials.id_token,
        google.auth.transport.requests.Request(),
        audience=world.client.client_id,
        certs_url=server.url + paths.CERTS_V1,
    )
    assert "hd" not in claims


# Organizations: API controls ----------------------------------------------------------
def test_google_admin_policy_enforced_restricted_service(server: Server) -> None:
    """Drive restricted by the organization: a limited (unlisted) app asking for a Drive scope
    gets admin_policy_enforced on Google's page; Calendar still works; once the admin marks
    the app trusted, Drive works too (reference §1.1, §1.2)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Third Party")))
    orgs(server).restrict_api(OP, org_id, "drive")

    refused = _page_error(server, world, [DRIVE_META], email)
    assert refused.left_to is None and refused.page.status_code == 400
    assert "Error 400: admin_policy_enforced" in _text(refused)

    authorize(server, world, [CALENDAR_RO])
    orgs(server).set_app_access(OP, org_id, world.client.client_id, "trusted")
    flow, _ = authorize(server, world, [DRIVE_META])
    assert flow.credentials.token.startswith("ya29.")

    events = AuditLog(server.admin.engine).recent(org_pk=None, limit=1000)
    assert any(
        e["event"] == "policy.denied" and e["outcome"] == "admin_policy_enforced"
        and e["email"] == email
        for e in events
    )


def test_google_admin_policy_enforced_blocked_app(server: Server) -> None:
    """A blocked app may not even sign the organization's users in."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Blocked App")))
    orgs(server).set_app_access(OP, org_id, world.client.client_id, "blocked")
    refused = _page_error(server, world, ["openid"], email)
    assert "Error 400: admin_policy_enforced" in _text(refused)
    # Users outside the organization are not concerned by its controls.
    outsider, _ = server.new_user()
    authorize(server, World(outsider, PASSWORD, "", world.client), ["openid"])


def test_google_admin_policy_enforced_on_refresh_after_restriction(server: Server) -> None:
    """"A Workspace admin set a requested service to Restricted": refreshing a token whose
    scopes are now restricted fails with admin_policy_enforced (reference §1.3.3 item 5)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Calendar App")))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    creds = credentials(world, flow.credentials.refresh_token)
    refresh(creds)
    orgs(server).restrict_api(OP, org_id, "calendar")
    with pytest.raises(RefreshError, match="admin_policy_enforced"):
        refresh(creds)
    orgs(server).unrestrict_api(OP, org_id, "calendar")
    refresh(creds)


def test_admin_policy_enforced_covers_include_granted_scopes(server: Server) -> None:
    """include_granted_scopes=true must not carry a scope granted before its service was
    restricted into a new code: the request gets admin_policy_enforced, as a refresh does."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Incremental")))
    _, browser = authorize(server, world, [CALENDAR_RO])
    orgs(server).restrict_api(OP, org_id, "calendar")
    flow = flow_for(world, [EMAIL])
    url, _ = flow.authorization_url(include_granted_scopes="true")
    browser.open(url)
    assert browser.left_to is None, "a code carrying the restricted scope was issued"
    assert "Error 400: admin_policy_enforced" in _text(browser)
    # Without include_granted_scopes the unrestricted scope alone is fine.
    flow, _ = authorize(server, world, [EMAIL], browser)
    assert CALENDAR_RO not in (flow.oauth2session.token.get("scope") or [])


# Embedded browsers ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("agent", "refused"),
    [
        (ANDROID_WEBVIEW, True),
        (IOS_WKWEBVIEW, True),
        (FACEBOOK_IAB, True),
        (CHROME_ANDROID, False),
        (SAFARI_IOS, False),
    ],
    ids=["android-webview", "ios-wkwebview", "facebook-in-app", "chrome-android", "safari-ios"],
)
def test_google_disallowed_useragent(server: Server, world: World, agent: str, refused: bool) -> None:
    """Requests from embedded web views get Google's disallowed_useragent page (403);
    real browsers go on to sign in (reference §1.1)."""
    url, _ = flow_for(world, ["openid"]).authorization_url()
    response = requests.get(url, headers={"User-Agent": agent}, allow_redirects=False)
    if refused:
        assert response.status_code == 403
        assert "Error 403: disallowed_useragent" in response.text
    else:
        assert response.status_code == 302 and "/signin" in response.headers["location"]


def test_google_disallowed_useragent_in_chromium(server: Server, world: World) -> None:
    """The same page in a real browser that presents an Android WebView user agent."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    url, _ = flow_for(world, ["openid"]).authorization_url()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        page = browser.new_context(user_agent=ANDROID_WEBVIEW).new_page()
        response = page.goto(url)
        assert response is not None and response.status == 403
        assert "disallowed_useragent" in page.inner_text("body")
        browser.close()


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


# Accounts disabled or deleted -------------------------------------------------------
def test_google_disabled_or_deleted_account_tokens_fail(server: Server) -> None:
    """A disabled account's refresh tokens give invalid_grant and its access tokens are no
    longer valid; deleting the account has the same effect (reference §1.3.3, §1.3.4)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project()))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    creds = credentials(world, flow.credentials.refresh_token)
    orgs(server).disable_user(OP, org_id, email)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(creds)
    info = requests.get(server.url + "/tokeninfo", params={"access_token": flow.credentials.token})
    assert info.status_code == 400
    orgs(server).enable_user(OP, org_id, email)
    refresh(creds)
    orgs(server).delete_user(OP, org_id, email)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(creds)


def test_disabled_account_cannot_sign_in(server: Server) -> None:
    """A disabled account is refused at sign-in with the same answer as a wrong password."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    orgs(server).disable_user(OP, org_id, email)
    world = World(email, PASSWORD, "", server.new_client(server.new_project()))
    browser = _page_error(server, world, ["openid"], email)
    assert browser.left_to is None and "Wrong email or password" in browser.page.text



def test_audit_log_records_consents_revocations_and_sign_ins(server: Server) -> None:
    """Administrators read sign-ins, consents, revocations and policy decisions of their
    organization's users in the audit log (issue 4)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Audited")))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    assert requests.post(server.url + "/revoke", data={"token": flow.credentials.token}).ok
    events = [e.as_json() for e in orgs(server).audit(OP, org_id)]
    kinds = {e["event"] for e in events}
    assert {"signin.success", "consent.granted", "token.revoked"} <= kinds, kinds
    assert all(e["email"] in (email, "") for e in events)


def test_unverified_account_does_not_join_a_later_organization(server: Server) -> None:
    """An unverified address (self sign-up) does not make its account a member of the
    organization that later adds the domain: no ``hd``, no internal apps (issue 4)."""
    from accord.services import Profile
    from accord.storage.sql import SqlStore

    org_id = "org-" + os.urandom(4).hex()
    domain = f"{org_id}.com"
    sub = server.admin.create_user(
        f"early@{domain}", PASSWORD, "Early", Profile(email_verified=False)
    )
    orgs(server).create(OP, org_id, "Later Corp", [domain])
    store = SqlStore(server.admin.engine)
    found = store.user_by_login(sub)
    assert found is not None and found[0].org_pk is None and found[0].hd == ""
