"""The user's account page (issue 4): apps with access, removing access, signing out,
changing the password; the stand-alone sign-in page.

Against a real ``accord serve``; apps authorize through google_auth_oauthlib and refresh
through google-auth, as in tests/e2e/authorization/test_flow.py.
"""

from __future__ import annotations

import re

import pytest
import requests
from google.auth.exceptions import RefreshError

from accord.google.scopes import describe
from accord.interaction.signin_page import password_problem
from accord.storage.engine import make_engine
from accord.storage.sql import SqlStore
from tests.browser import Browser, forms
from tests.conftest import DRIVE_META, PASSWORD, Server, World
from tests.e2e.account.support import (
    DATE,
    SCOPES,
    SIGNIN,
    apps_on,
    audit,
    form_index,
    refreshed,
    sign_in,
    text,
)
from tests.flows import authorize, flow_for


def test_account_page_lists_apps_with_plain_words_since_and_last_used(
    server: Server, world: World
) -> None:
    """Each app the user authorized, by its consent-screen name, with the granted scopes
    in the consent page's words, when access was given and when it was last used."""
    flow, browser = authorize(server, world, SCOPES)
    refreshed(world, flow.credentials.refresh_token)
    browser.open(server.url + "/account")
    text = browser.page.text
    assert browser.page.status_code == 200 and world.email in text
    assert apps_on(browser) == ["Test App"]
    for scope in SCOPES:
        assert describe(scope).description in text
    assert DATE.fullmatch(re.search(r'class="since">(.*?)<', text).group(1))  # type: ignore[union-attr]
    assert DATE.fullmatch(re.search(r'class="last-used">(.*?)<', text).group(1))  # type: ignore[union-attr]
    assert DRIVE_META not in text  # words, not scope URLs


def test_app_authorized_but_never_exchanged_shows_never_used(
    server: Server, world: World
) -> None:
    """A grant whose code was never exchanged has no token: "Last used Never"."""
    browser = Browser(server.url)
    url, _ = flow_for(world, SCOPES).authorization_url(access_type="offline")
    browser.open(url)
    browser.sign_in(world.email, world.password)
    browser.allow()
    browser.open(server.url + "/account")
    assert re.search(r'class="last-used">Never<', browser.page.text)


def test_remove_access_breaks_the_apps_refresh_with_invalid_grant(
    server: Server, world: World
) -> None:
    """"Remove access" revokes the whole grant as the revoke endpoint does (reference
    §1.5): the app's refresh token fails with invalid_grant, the app leaves the list,
    the removal is audited, and the next authorization asks for consent again."""
    flow, browser = authorize(server, world, SCOPES)
    token = flow.credentials.refresh_token
    refreshed(world, token)  # works before
    browser.open(server.url + "/account")
    browser.submit(form_index=form_index(browser, "/account/permissions/remove"))
    assert browser.page.url.startswith(server.url + "/account")
    assert "Access removed." in browser.page.text and apps_on(browser) == []
    with pytest.raises(RefreshError, match="invalid_grant"):
        refreshed(world, token)
    events = audit(server, world.email)
    assert events[0]["event"] == "consent.revoked" and events[0]["project_pk"] is not None
    url, _ = flow_for(world, SCOPES).authorization_url(access_type="offline")
    browser.open(url)
    assert "/signin/consent" in browser.page.url


def test_removing_needs_the_csrf_token_and_a_signed_in_account(
    server: Server, world: World
) -> None:
    """A forged form (no CSRF token, or naming an account not signed in) removes nothing."""
    flow, browser = authorize(server, world, SCOPES)
    browser.open(server.url + "/account")
    form = forms(browser.page.text)[form_index(browser, "/account/permissions/remove")]
    data = dict(form.fields)
    url = server.url + "/account/permissions/remove"
    assert browser.http.post(url, data={**data, "csrf": "forged"}).status_code == 400
    other, _ = server.new_user()
    other_sub = SqlStore(make_engine(server.env["ACCORD_DATABASE_URL"])).user_by_login(other)
    assert other_sub is not None
    answer = browser.http.post(url, data={**data, "account": other_sub[0].sub})
    assert answer.status_code == 400
    refreshed(world, flow.credentials.refresh_token)  # still works


def test_account_page_sends_signed_out_browsers_to_sign_in(
    server: Server, world: World
) -> None:
    """Signed out, /account goes to the sign-in page and comes back after it."""
    answer = requests.get(server.url + "/account?authuser=0", allow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["location"] == f"{SIGNIN}?continue=%2Faccount%3Fauthuser%3D0"
    browser = Browser(server.url)
    browser.open(server.url + "/account")
    assert SIGNIN in browser.page.url
    browser.sign_in(world.email, world.password)
    assert browser.page.url == server.url + "/account" and world.email in browser.page.text


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
     "/\t/evil.example", "javascript:alert(1)", "http:/evil.example", "evil.example", ""],
)
def test_signin_continues_only_to_paths_of_this_origin(
    server: Server, world: World, target: str
) -> None:
    """``continue`` is followed only when it is a path here: no open redirect."""
    browser = Browser(server.url)
    browser.http.get(server.url + SIGNIN)  # the session cookie
    page = browser.http.get(server.url + SIGNIN, params={"continue": target})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = browser.http.post(
        server.url + SIGNIN,
        data={"csrf": csrf, "email": world.email, "password": world.password,
              "continue": target},
        allow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account"


def test_signin_continues_to_a_local_path(server: Server, world: World) -> None:
    browser = sign_in(server, world.email, continue_to="/account?authuser=0")
    assert browser.page.url == server.url + "/account?authuser=0"


def test_sign_out_of_one_account_then_of_all(server: Server, world: World) -> None:
    """Two accounts in one browser: the page shows the latest, switches with authuser,
    signs out of one (the other stays) and then of all."""
    second, _ = server.new_user("Second User")
    browser = sign_in(server, world.email)
    sign_in(server, second, browser=browser)
    assert re.search(r'id="account-email">(.*?)<', browser.page.text).group(1) == second  # type: ignore[union-attr]
    browser.open(server.url + "/account?authuser=1")
    assert f'id="account-email">{world.email}<' in browser.page.text
    sub = dict(forms(browser.page.text)[form_index(browser, "/signout")].buttons)["account"]
    browser.submit(button=("account", sub), form_index=form_index(browser, "/signout"))
    assert browser.page.url == server.url + "/account"
    assert f'id="account-email">{second}<' in browser.page.text
    assert world.email not in browser.page.text
    browser.submit(form_index=form_index(browser, "/signout", ("", "")))
    browser.open(server.url + "/account")
    assert SIGNIN in browser.page.url


def test_change_password_then_the_old_one_fails(server: Server) -> None:
    """The new password works from then on, the old one no longer; the change is audited.
    A wrong current password or a mismatched confirmation changes nothing."""
    email, _ = server.new_user()
    browser = sign_in(server, email)
    browser.open(server.url + "/account/password")
    new = "a much better password"
    browser.submit({"current": PASSWORD, "new": new, "confirm": new + "!"})
    assert browser.page.status_code == 400 and "didn't match" in text(browser)
    browser.submit({"current": PASSWORD, "new": "short", "confirm": "short"})
    assert browser.page.status_code == 400
    browser.submit({"current": "not the password", "new": new, "confirm": new})
    assert browser.page.status_code == 401 and "Wrong password" in browser.page.text
    browser.submit({"current": PASSWORD, "new": new, "confirm": new})
    assert browser.page.url == server.url + "/account?notice=password"
    assert "Your password was changed." in browser.page.text
    assert sign_in(server, email, PASSWORD).page.status_code == 401
    assert sign_in(server, email, new).page.url == server.url + "/account"
    assert "password.changed" in [e["event"] for e in audit(server, email)]


@pytest.mark.parametrize(
    ("new", "confirm", "says"),
    [
        ("short", "short", "Use 8 characters or more for your password."),
        ("p" * 1024, "p" * 1024, None),  # the services' rule: 8 to 1024 characters
        ("p" * 1025, "p" * 1025, "The password must have at most 1024 characters."),
        ("long enough", "long enough!", "Those passwords didn't match. Try again."),
        ("long enough", "long enough", None),
    ],
)
def test_pages_check_passwords_with_the_services_rule(
    new: str, confirm: str, says: str | None
) -> None:
    assert password_problem(new, confirm) == says
