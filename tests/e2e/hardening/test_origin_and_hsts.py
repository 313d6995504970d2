"""Issue 12: the pages' state-changing posts check where they come from (``Origin``, else
``Referer``) besides their CSRF token, and an https issuer sends Strict-Transport-Security.

Through the real server with the form-following browser of tests/browser.py, which sends
no Origin of its own: each test adds the header it is about.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests

from tests.browser import Browser, forms
from tests.conftest import DRIVE_META, REDIRECT_URI, Server, World
from tests.e2e.account.support import form_index
from tests.e2e.bad_input import assert_error_page

EVIL = "https://evil.example"
SIGNIN = "/signin/v2/identifier"


def signed_in(server: Server, world: World) -> Browser:
    browser = Browser(server.url)
    browser.open(f"{server.url}{SIGNIN}?continue=/account")
    browser.sign_in(world.email, world.password)
    assert browser.page.url == server.url + "/account"
    return browser


def auth_url(server: Server, world: World) -> str:
    query = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
             "response_type": "code", "scope": DRIVE_META, "state": "s"}
    return f"{server.url}/o/oauth2/v2/auth?{urlencode(query)}"


def assert_foreign(response: requests.Response) -> None:
    assert_error_page(response, 403, "invalid_request", "did not come from this site")


@pytest.mark.parametrize(
    "headers",
    [{"Origin": EVIL}, {"Origin": "null"}, {"Referer": EVIL + "/page"},
     {"Origin": "http://127.0.0.1:1"}],
    ids=["origin", "null-origin", "referer", "other-port"],
)
def test_foreign_sign_in_post_is_refused(server: Server, world: World,
                                         headers: dict[str, str]) -> None:
    browser = Browser(server.url)
    browser.open(f"{server.url}{SIGNIN}?continue=/account")
    browser.http.headers.update(headers)
    assert_foreign(browser.sign_in(world.email, world.password))
    browser.open(server.url + "/account")
    assert SIGNIN in browser.page.url  # not signed in


def test_same_origin_and_no_origin_are_let_through(server: Server, world: World) -> None:
    for headers in ({"Origin": server.url}, {"Referer": server.url + SIGNIN}, {}):
        browser = Browser(server.url)
        browser.http.headers.update(headers)
        browser.open(f"{server.url}{SIGNIN}?continue=/account")
        browser.sign_in(world.email, world.password)
        assert browser.page.url == server.url + "/account", headers


def test_foreign_consent_post_issues_no_code(server: Server, world: World) -> None:
    browser = signed_in(server, world)
    browser.open(auth_url(server, world))
    assert "/signin/consent" in browser.page.url
    consent = browser.page
    browser.http.headers["Origin"] = EVIL
    assert_foreign(browser.allow())
    assert browser.left_to is None
    browser.http.headers["Origin"] = server.url
    browser.page = consent  # the same form again, now from this origin
    browser.allow()
    assert "code" in browser.callback_params()


def test_foreign_sign_out_and_account_posts_change_nothing(server: Server, world: World) -> None:
    browser = signed_in(server, world)
    browser.http.headers["Referer"] = EVIL + "/"
    assert_foreign(browser.submit(form_index=form_index(browser, "/signout", ("", ""))))
    browser.open(server.url + "/account/password")
    assert_foreign(browser.submit({"current": world.password, "new": "another password 1",
                                   "confirm": "another password 1"}))
    del browser.http.headers["Referer"]
    browser.open(server.url + "/account")
    assert f'id="account-email">{world.email}<' in browser.page.text  # still signed in


def test_foreign_console_post_is_refused(server: Server, world: World) -> None:
    browser = signed_in(server, world)
    browser.open(server.url + "/console")
    assert browser.page.status_code == 200
    browser.http.headers["Origin"] = EVIL
    csrf = dict(forms(browser.page.text)[0].fields)["csrf"]
    response = browser.http.post(server.url + "/console",
                                 data={"csrf": csrf, "action": "create", "name": "Evil"},
                                 allow_redirects=False)
    assert_foreign(response)


# Strict-Transport-Security ---------------------------------------------------------------
def test_no_hsts_on_an_http_issuer(server: Server) -> None:
    for path in ("/.well-known/openid-configuration", SIGNIN, "/nowhere"):
        assert "strict-transport-security" not in requests.get(server.url + path).headers


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An https issuer (the address a TLS proxy serves) in front of a plain listener."""
    data = tmp_path_factory.mktemp("hsts")
    srv = Server(f"sqlite:///{data / 'accord.db'}", data)
    srv.env["ACCORD_ISSUER"] = f"https://accord-{uuid.uuid4().hex[:6]}.example"
    srv.env["ACCORD_PASSWORD_PROFILE"] = "default"  # the test profile is for loopback issuers
    srv.start()
    yield srv
    srv.stop()


def test_hsts_on_every_response_of_an_https_issuer(https_server: Server) -> None:
    base = https_server.url
    answers = [
        requests.get(base + "/.well-known/openid-configuration"),
        requests.get(base + SIGNIN),
        requests.get(base + "/nowhere"),
        requests.post(base + "/token", data={"grant_type": "password"}),
        requests.get(base + "/tokeninfo", params={"access_token": "x"}),
        requests.get(base + "/healthz"),
    ]
    for response in answers:
        hsts = response.headers.get("strict-transport-security", "")
        assert hsts.startswith("max-age=31536000"), (response.url, response.status_code)
    assert answers[0].json()["issuer"] == https_server.env["ACCORD_ISSUER"]
