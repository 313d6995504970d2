"""Testing status, disabled and deleted clients, secret rotation and desktop clients, end to
end through google_auth_oauthlib and google-auth (reference §1.1, §1.2, §1.3.3, §1.3.4, §1.12).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
import requests
from google.auth.exceptions import RefreshError
from google_auth_oauthlib.flow import Flow, InstalledAppFlow

from tests.browser import Browser
from tests.clocked import ClockedServer
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, REDIRECT_URI, Server, World
from tests.flows import authorize, flow_for
from tests.policy_helpers import OP, clients, credentials, projects, refresh

EMAIL = "https://www.googleapis.com/auth/userinfo.email"
DAY = 24 * 3600


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> ClockedServer:
    srv = ClockedServer(tmp_path_factory.mktemp("clocked-status"))
    srv.start()
    yield srv  # type: ignore[misc]
    srv.stop()


def _testing(server: Server, world: World, *test_users: str) -> None:
    projects(server).update_consent_screen(OP, world.client.project_id, publishing_status="testing")
    for email in test_users:
        projects(server).add_test_user(OP, world.client.project_id, email)


def test_google_testing_status_refuses_users_not_on_the_test_list(
    server: Server, world: World
) -> None:
    """Testing status: only test users may authorize; others get Google's access_denied
    page (403) with its text, and nothing is sent to the redirect URI (reference §1.1)."""
    _testing(server, world)
    flow = flow_for(world, [DRIVE_META])
    url, _ = flow.authorization_url()
    browser = Browser(server.url)
    browser.open(url)
    browser.sign_in(world.email, world.password)
    assert browser.left_to is None
    assert browser.page.status_code == 403
    text = re.sub(r"\s+", " ", browser.page.text)
    assert "Error 403: access_denied" in text
    assert "has not completed the Google verification process" in text
    assert "can only be accessed by developer-approved testers" in text


def test_google_testing_status_lets_test_users_in_with_7_day_refresh_tokens(
    clocked: ClockedServer,
) -> None:
    """A test user may authorize; the refresh token for a scope beyond name/email/profile
    expires after 7 days and the token response says so in refresh_token_expires_in
    (604799, reference §1.2 and §1.3.3 item 8)."""
    world = clocked.new_world()
    _testing(clocked, world, world.email.upper())  # test users are matched case-insensitively
    flow, _ = authorize(clocked, world, [DRIVE_META])
    assert flow.oauth2session.token["refresh_token_expires_in"] == 604799
    creds = credentials(world, flow.credentials.refresh_token)
    clocked.clock.advance(7 * DAY - 2)
    refresh(creds)
    clocked.clock.advance(1)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(creds)


def test_google_testing_status_sign_in_scopes_do_not_expire(clocked: ClockedServer) -> None:
    """Only name, email and profile: no 7-day limit, no refresh_token_expires_in (§1.2)."""
    world = clocked.new_world()
    _testing(clocked, world, world.email)
    flow, _ = authorize(clocked, world, ["openid", EMAIL])
    assert "refresh_token_expires_in" not in flow.oauth2session.token
    clocked.clock.advance(30 * DAY)
    refresh(credentials(world, flow.credentials.refresh_token))


def test_google_in_production_refresh_tokens_do_not_expire(clocked: ClockedServer) -> None:
    """In production there is no lifetime: refresh_token_expires_in is absent (§1.3.1)."""
    world = clocked.new_world()
    flow, _ = authorize(clocked, world, [DRIVE_META])
    assert "refresh_token_expires_in" not in flow.oauth2session.token
    clocked.clock.advance(30 * DAY)
    refresh(credentials(world, flow.credentials.refresh_token))


def _error_page(server: Server, world: World) -> requests.Response:
    url, _ = flow_for(world, [DRIVE_META]).authorization_url()
    return requests.get(url, allow_redirects=False)


@pytest.mark.parametrize(
    ("action", "code", "text"),
    [
        ("disable", "disabled_client", "The OAuth client was disabled."),
        ("delete", "deleted_client", "The OAuth client was deleted."),
    ],
)
def test_google_disabled_and_deleted_clients(
    server: Server, world: World, action: str, code: str, text: str
) -> None:
    """A disabled or deleted client is refused on Google's error page (Error 401) and at the
    token endpoint (401, google-auth raises RefreshError with the code); enabling or
    restoring it brings it back, refresh tokens included (reference §1.1, §1.3.4)."""
    flow, _ = authorize(server, world, [DRIVE_META])
    creds = credentials(world, flow.credentials.refresh_token)
    getattr(clients(server), action)(OP, world.client.client_id)

    page = _error_page(server, world)
    assert page.status_code == 401
    assert f"Error 401: {code}" in page.text and text in page.text
    with pytest.raises(RefreshError, match=code):
        refresh(creds)
    info = requests.get(server.url + "/tokeninfo", params={"access_token": flow.credentials.token})
    assert info.status_code == 400

    undo = "enable" if action == "disable" else "restore"
    getattr(clients(server), undo)(OP, world.client.client_id)
    assert _error_page(server, world).status_code == 302
    refresh(creds)


def test_google_deleted_client_restorable_for_30_days_only(clocked: ClockedServer) -> None:
    """"Deleted clients can be restored within 30 days of the deletion" (reference §1.1)."""
    world = clocked.new_world()
    service = clients(clocked)
    service.delete(OP, world.client.client_id)
    clocked.clock.advance(30 * DAY + 1)
    with pytest.raises(Exception, match="30 days"):
        service.restore(OP, world.client.client_id)


def test_google_secret_rotation_without_downtime(server: Server, world: World) -> None:
    """Two secrets may be enabled at once: both authenticate while the app moves to the new
    one; the old one stops working once disabled (invalid_client, 401)."""
    flow, _ = authorize(server, world, [DRIVE_META])
    service = clients(server)
    new = service.add_secret(OP, world.client.client_id)
    old_creds = credentials(world, flow.credentials.refresh_token)
    refresh(old_creds)
    new_creds = credentials(world, flow.credentials.refresh_token)
    new_creds._client_secret = new.secret  # what reading the new client_secret.json gives
    refresh(new_creds)
    with pytest.raises(Exception, match="two|2"):
        service.add_secret(OP, world.client.client_id)
    old = next(s for s in service.secrets(OP, world.client.client_id) if s.secret_id != new.secret_id)
    service.disable_secret(OP, world.client.client_id, old.secret_id)
    with pytest.raises(RefreshError, match="invalid_client"):
        refresh(old_creds)
    refresh(new_creds)


def test_rfc8252_desktop_client_accepts_any_loopback_port(server: Server) -> None:
    """Installed apps register http://localhost and may use any port on it (reference §1.1,
    RFC 8252 §7.3); google_auth_oauthlib's InstalledAppFlow reads Google's "installed" file
    (reference §1.12). A web client gets no such leeway."""
    email, _ = server.new_user()
    project_id = server.new_project()
    new = clients(server).create(OP, project_id, "desktop", type="desktop")
    config = clients(server).client_secret_json(OP, new.client_id, server.url, new.client_secret)
    assert set(config) == {"installed"}
    flow = InstalledAppFlow.from_client_config(config, scopes=[CALENDAR_RO])
    flow.redirect_uri = "http://localhost:53682/"
    url, _ = flow.authorization_url()
    browser = Browser(server.url)
    browser.open(url)
    browser.sign_in(email, PASSWORD)
    browser.allow()
    assert browser.left_to is not None and browser.left_to.startswith("http://localhost:53682/")
    flow.fetch_token(authorization_response=browser.left_to)
    assert flow.credentials.token.startswith("ya29.")

    web = server.new_client(project_id, ("http://localhost:8080/cb",))
    wflow = Flow.from_client_config(web.config, scopes=[CALENDAR_RO])
    wflow.redirect_uri = "http://localhost:9999/cb"
    page = requests.get(wflow.authorization_url()[0], allow_redirects=False)
    assert page.status_code == 400 and "redirect_uri_mismatch" in page.text


def test_consent_page_shows_the_consent_screen_escaped(server: Server, world: World) -> None:
    """The consent page shows the app's logo and links from its consent screen, escaped:
    no markup from a developer reaches the page unescaped (issue 3)."""
    project_id = world.client.project_id
    projects(server).update_consent_screen(
        OP,
        project_id,
        app_name="<b>Bold</b> & Co",
        logo_url="https://cdn.example.com/logo.png?a=1&b=2",
        home_url="https://example.com/home",
        privacy_url="https://example.com/privacy",
        terms_url="https://example.com/terms",
        support_email="help@example.com",
    )
    url, _ = flow_for(world, [DRIVE_META]).authorization_url()
    browser = Browser(server.url)
    browser.open(url)
    browser.sign_in(world.email, world.password)
    html = browser.page.text
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert '<img src="https://cdn.example.com/logo.png?a=1&amp;b=2"' in html
    for link in ("https://example.com/home", "https://example.com/privacy",
                 "https://example.com/terms", "mailto:help@example.com"):
        assert f'href="{link}"' in html
    csp = browser.page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp  # default-src 'self'


REGISTERED = "https://app.example.com/oauth2/callback"


@pytest.mark.parametrize(
    ("asked", "accepted"),
    [
        (REGISTERED, True),
        (REGISTERED + "/", False),  # trailing slash
        ("https://APP.example.com/oauth2/callback", False),  # case of the host
        ("https://app.example.com/OAuth2/callback", False),  # case of the path
        ("http://app.example.com/oauth2/callback", False),  # scheme
        ("https://app.example.com:443/oauth2/callback", False),  # explicit port
        ("https://app.example.com/oauth2/callback?x=1", False),  # query
        ("https://app.example.com/oauth2/callback#f", False),  # fragment
        ("https://app.example.com/oauth2/callback/../callback", False),  # traversal
        ("https://app.example.com/oauth2/%63allback", False),  # percent-encoding
        ("https://app.example.com.evil.com/oauth2/callback", False),  # suffix
        ("urn:ietf:wg:oauth:2.0:oob", False),  # out-of-band (reference §1.1)
    ],
)
def test_google_redirect_uri_exact_match_at_the_authorization_endpoint(
    server: Server, asked: str, accepted: bool
) -> None:
    """Matching at /auth is an exact string match: scheme, host, port, path, case, trailing
    slash (reference §1.11); a mismatch is Google's redirect_uri_mismatch page, never a
    redirect."""
    project_id = server.new_project()
    client = server.new_client(project_id, (REGISTERED,))
    query = {"client_id": client.client_id, "redirect_uri": asked, "response_type": "code",
             "scope": "openid"}
    response = requests.get(
        server.url + "/o/oauth2/v2/auth", params=query, allow_redirects=False
    )
    if accepted:
        assert response.status_code == 302 and "/signin" in response.headers["location"]
    else:
        assert response.status_code == 400
        assert "Error 400: redirect_uri_mismatch" in response.text


def test_client_disabled_during_consent_issues_nothing(server: Server, world: World) -> None:
    """A client disabled while its user is on the consent page: Allow sends nothing to the
    redirect URI (no code, and no token for an implicit request) and shows Google's
    disabled_client page (reference §1.1)."""
    query = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
             "response_type": "token", "scope": DRIVE_META, "state": "s"}
    browser = Browser(server.url)
    browser.open(server.url + "/o/oauth2/v2/auth?" + urlencode(query))
    browser.sign_in(world.email, world.password)
    assert browser.left_to is None and "/signin/consent" in browser.page.url
    clients(server).disable(OP, world.client.client_id)
    try:
        browser.allow(None)
        assert browser.left_to is None, "a response went to the disabled client"
        assert browser.page.status_code == 401
        assert "Error 401: disabled_client" in re.sub(r"\s+", " ", browser.page.text)
    finally:
        clients(server).enable(OP, world.client.client_id)
