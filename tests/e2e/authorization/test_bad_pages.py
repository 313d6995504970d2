"""Adversarial input at the sign-in, account chooser and consent pages: stale or foreign
interactions, missing CSRF tokens, replays, NUL bytes, and sign-out without its token.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from tests.browser import Browser, forms
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, Server, World
from tests.e2e.bad_input import (
    DRIVE,
    SQLITE_ONLY,
    XSS,
    XSS_ESCAPED,
    Pair,
    assert_error_page,
    replaced,
)

# Sign-in, account chooser and consent pages ------------------------------------------------
PAGES = ("/signin", "/signin/chooser", "/signin/consent")


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    """One world for the page tests (each uses its own browser); replaces conftest's."""
    return server.new_world()


def start(server: Server, world: World, **extra: str) -> Browser:
    """A fresh browser at the first page of an interaction for ``world``."""
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META, "state": "st"} | extra
    browser = Browser(server.url)
    browser.open(f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}")
    assert browser.left_to is None and browser.page is not None
    return browser


def form_data(browser: Browser) -> list[Pair]:
    assert browser.page is not None
    return list(forms(browser.page.text)[0].fields)


def post(browser: Browser, data: list[Pair]) -> requests.Response:
    assert browser.page is not None
    return browser.http.post(browser.page.url, data=data, allow_redirects=False)


def still_signed_out(server: Server, world: World, browser: Browser) -> bool:
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META}
    url = f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}"
    location = browser.http.get(url, allow_redirects=False).headers["location"]
    return urlsplit(location).path == "/signin"


@SQLITE_ONLY
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("query", ["", "?i=", "?i=unknown-interaction"], ids=["none", "empty", "unknown"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_live_interaction(server: Server, path: str, query: str, method: str) -> None:
    response = requests.request(method, server.url + path + query, allow_redirects=False,
                                data={"csrf": "x"} if method == "POST" else None)
    assert_error_page(response, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("csrf", [None, "", "forged"], ids=["missing", "empty", "wrong"])
def test_signin_without_the_csrf_token_signs_nobody_in(
    server: Server, world: World, csrf: str | None
) -> None:
    browser = start(server, world)
    data = replaced(form_data(browser), "csrf", csrf)
    response = post(browser, [*data, ("email", world.email), ("password", world.password)])
    assert_error_page(response, 400, "invalid_request")
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
def test_interaction_is_bound_to_its_browser(server: Server, world: World) -> None:
    """An interaction id leaked to another browser is useless there, and still works where
    it started."""
    victim = start(server, world)
    attacker = start(server, world)
    assert victim.page is not None
    assert_error_page(attacker.http.get(victim.page.url, allow_redirects=False), 400,
                      "invalid_request")
    stolen = [*form_data(attacker), ("email", world.email), ("password", world.password)]
    hijack = attacker.http.post(victim.page.url, data=stolen, allow_redirects=False)
    assert_error_page(hijack, 400, "invalid_request")
    assert still_signed_out(server, world, attacker)
    victim.sign_in(world.email, world.password)
    if victim.left_to is None:
        victim.allow()
    assert "code" in victim.callback_params()


@SQLITE_ONLY
def test_no_user_enumeration_at_signin(server: Server, world: World) -> None:
    """A wrong password and an unknown email look the same."""
    answers = []
    for email, password in [(world.email, "wrong password"), ("nobody@example.com", "x")]:
        browser = start(server, world)
        response = browser.submit({"email": email, "password": password})
        alert = re.search(r'role="alert">(.*?)</p>', response.text)
        answers.append((response.status_code, alert.group(1) if alert else None))
        assert browser.left_to is None and still_signed_out(server, world, browser)
    assert answers[0] == answers[1] and answers[0][1]


@SQLITE_ONLY
def test_signin_echoes_login_hint_escaped(server: Server, world: World) -> None:
    """An email-shaped hint is pre-filled (escaped); other hints are not shown at all."""
    browser = start(server, world, login_hint=f'"/>{XSS}@example.com')
    assert browser.page is not None and "/signin?" in browser.page.url
    assert XSS not in browser.page.text and XSS_ESCAPED in browser.page.text


def at_consent(server: Server, world: World) -> Browser:
    browser = start(server, world, scope=f"{DRIVE_META} {CALENDAR_RO}", prompt="consent")
    browser.sign_in(world.email, world.password)
    assert browser.page is not None and "/signin/consent" in browser.page.url
    return browser


@SQLITE_ONLY
def test_consent_replay_issues_no_second_code(server: Server, world: World) -> None:
    browser = at_consent(server, world)
    data = [*form_data(browser), ("scope", DRIVE_META), ("action", "allow")]
    first = post(browser, data)
    assert first.is_redirect and "code=" in first.headers["location"]
    replay = post(browser, data)
    assert_error_page(replay, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("action", ["", "ALLOW", "maybe", "allow\x00"])
def test_consent_unknown_action_refused(server: Server, world: World, action: str) -> None:
    browser = at_consent(server, world)
    response = post(browser, [*form_data(browser), ("action", action)])
    assert_error_page(response, 400, "invalid_request")
    browser.allow()  # the interaction is still open
    assert "code" in browser.callback_params()


@SQLITE_ONLY
def test_consent_cannot_widen_the_request(server: Server, world: World) -> None:
    """Ticking a scope the app did not ask for grants nothing more."""
    browser = at_consent(server, server.new_world())  # nothing granted before
    data = [*form_data(browser), ("scope", DRIVE_META), ("scope", DRIVE), ("action", "allow")]
    response = post(browser, data)
    assert response.is_redirect
    browser.left_to = response.headers["location"]
    assert browser.callback_params()["scope"] == DRIVE_META


@SQLITE_ONLY
def test_chooser_refuses_an_account_not_signed_in(server: Server, world: World) -> None:
    browser = start(server, world)
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    _, stranger_sub = server.new_user()
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META, "prompt": "select_account"}
    browser.open(f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}")
    assert browser.page is not None and "/signin/chooser" in browser.page.url
    response = post(browser, [*form_data(browser), ("account", stranger_sub)])
    assert response.status_code == 400 and not response.is_redirect
    browser.choose(world.sub)
    assert "code" in browser.callback_params()


@SQLITE_ONLY
def test_signin_form_with_wrong_content_type(server: Server, world: World) -> None:
    browser = start(server, world)
    data = dict(form_data(browser)) | {"email": world.email, "password": world.password}
    assert browser.page is not None
    response = browser.http.post(browser.page.url, json=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
def test_signin_replay_after_completion_refused(server: Server, world: World) -> None:
    browser = start(server, world)
    assert browser.page is not None
    signin_url = browser.page.url
    data = replaced(replaced(form_data(browser), "email", world.email), "password", world.password)
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    assert "code" in browser.callback_params()
    replay = browser.http.post(signin_url, data=data, allow_redirects=False)
    assert_error_page(replay, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("who", ["no_csrf", "other_browser"])
def test_consent_post_needs_this_browser(server: Server, world: World, who: str) -> None:
    victim = at_consent(server, world)
    assert victim.page is not None
    if who == "no_csrf":
        response = post(victim, [("scope", DRIVE_META), ("action", "allow")])
    else:
        attacker = start(server, world)
        data = [*form_data(attacker), ("scope", DRIVE_META), ("action", "allow")]
        response = attacker.http.post(victim.page.url, data=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    victim.allow()
    assert "code" in victim.callback_params()


def test_double_submitted_consent_issues_one_code(server: Server, world: World) -> None:
    """The interaction finishes exactly once: concurrent Allow clicks give one code."""
    browser = at_consent(server, world)
    data = [*form_data(browser), ("scope", DRIVE_META), ("action", "allow")]
    barrier = threading.Barrier(6)

    def click(_: int) -> requests.Response:
        barrier.wait()
        return post(browser, data)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(click, range(6)))
    codes = [r for r in answers if r.is_redirect and "code=" in r.headers["location"]]
    assert len(codes) == 1, [r.status_code for r in answers]
    assert all(r.status_code == 400 for r in answers if r not in codes)


def test_nul_in_signin_email(request: pytest.FixtureRequest, server: Server, world: World) -> None:
    """A NUL byte in the email is a wrong login (or a bad request), never a 500."""
    browser = start(server, world)
    data = replaced(replaced(form_data(browser), "email", world.email + "\x00"), "password", "x")
    assert post(browser, data).status_code in (400, 401)
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
@pytest.mark.parametrize("csrf", [None, "forged"], ids=["missing", "wrong"])
def test_signout_needs_the_csrf_token(server: Server, world: World, csrf: str | None) -> None:
    browser = start(server, world)
    browser.sign_in(world.email, world.password)
    data = {} if csrf is None else {"csrf": csrf}
    response = browser.http.post(server.url + "/signout", data=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    assert not still_signed_out(server, world, browser)
