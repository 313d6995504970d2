"""The sign-in, chooser and consent pages under misuse: stale pages, switched accounts,
double submits (regressions found in review)."""

from __future__ import annotations

import threading
from urllib.parse import urlencode

import requests
from sqlalchemy import func, select

from accord.storage.schema import codes, users
from tests.browser import Browser, forms
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, Server, World


def auth_url(world: World, scopes: list[str], **params: str) -> str:
    query = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
             "response_type": "code", "scope": " ".join(scopes), **params}
    return world.client.config["web"]["auth_uri"] + "?" + urlencode(query)


def codes_of(server: Server, email: str) -> int:
    with server.admin.engine.connect() as conn:
        user_pk = conn.execute(select(users.c.pk).where(users.c.email == email)).scalar_one()
        return int(conn.execute(
            select(func.count()).select_from(codes).where(codes.c.user_pk == user_pk)).scalar())


def stale_consent_page(server: Server, world: World, **params: str) -> tuple[Browser, str]:
    """A consent page for ``world``'s user, left open while another tab signs out of
    everything and signs in as someone else; the browser is back on the stale page."""
    other_email, _ = server.new_user()
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META], **params))
    browser.sign_in(world.email, world.password)
    consent_page = browser.page
    csrf = dict(forms(consent_page.text)[0].fields)["csrf"]
    browser.http.post(server.url + "/signout", data={"csrf": csrf}, allow_redirects=False)
    browser.open(auth_url(world, [DRIVE_META]))
    browser.sign_in(other_email, world.password)
    browser.page = consent_page
    return browser, other_email


def test_cancel_on_a_stale_consent_page_is_still_a_refusal(server: Server, world: World) -> None:
    """A consent page left open while the account was switched in another tab: Cancel
    must refuse, never issue a code for the other account."""
    browser, _ = stale_consent_page(server, world, state="s")
    browser.deny()
    assert browser.callback_params() == {"error": "access_denied", "state": "s"}


def test_allow_on_a_page_shown_for_another_account_asks_again(
    server: Server, world: World
) -> None:
    browser, other_email = stale_consent_page(server, world)
    browser.allow()
    assert browser.left_to is None, "no code for an account the page did not show"
    assert "/signin/consent" in browser.page.url and other_email in browser.page.text


def test_consent_without_csrf_issues_nothing(server: Server, world: World) -> None:
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META]))
    browser.sign_in(world.email, world.password)
    fields = [(k, v) for k, v in forms(browser.page.text)[0].fields if k != "csrf"]
    response = browser.http.post(browser.page.url, data=fields + [("action", "allow")],
                                 allow_redirects=False)
    assert response.status_code == 400 and "Error 400: invalid_request" in response.text
    assert codes_of(server, world.email) == 0


def test_non_ascii_csrf_is_a_bad_request_not_a_crash(server: Server, world: World) -> None:
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META]))
    for url in (server.url + "/signout", browser.page.url):
        response = browser.http.post(url, data={"csrf": "é", "email": "x", "password": "y"},
                                     allow_redirects=False)
        assert response.status_code == 400, url


def test_already_granted_scopes_are_listed_not_offered(server: Server, world: World) -> None:
    """With prompt=consent, scopes granted before are shown as already allowed and stay in
    the grant; only new scopes get a checkbox (reference §1.2)."""
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META]))
    browser.sign_in(world.email, world.password)
    browser.allow()
    browser.open(auth_url(world, [DRIVE_META, CALENDAR_RO], prompt="consent"))
    boxes = [value for _, value, _ in forms(browser.page.text)[0].checkboxes]
    assert boxes == [CALENDAR_RO]
    assert "already has access" in browser.page.text
    browser.allow([])
    assert browser.callback_params()["scope"] == DRIVE_META


def test_double_submitted_sign_in_saves_one_code(server: Server, world: World) -> None:
    """Two concurrent submits of the same sign-in form: one code, saved once."""
    email, _ = server.new_user()
    world = World(email, world.password, "", world.client)
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META]))
    csrf = dict(forms(browser.page.text)[0].fields)["csrf"]
    data = [("csrf", csrf), ("email", email), ("password", world.password)]
    url = browser.page.url
    # Grant first so that sign-in leads straight to a code.
    grant = Browser(server.url)
    grant.open(auth_url(world, [DRIVE_META]))
    grant.sign_in(email, world.password)
    grant.allow()
    results: list[requests.Response] = []
    barrier = threading.Barrier(2)

    def submit() -> None:
        barrier.wait()
        results.append(browser.http.post(url, data=data, allow_redirects=False))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with_code = [r for r in results if "code=" in r.headers.get("location", "")]
    assert len(with_code) == 1
    assert codes_of(server, email) == 2  # the grant's, and exactly one from the double submit


def _signed_in_browser(server: Server, world: World) -> Browser:
    browser = Browser(server.url)
    browser.open(auth_url(world, [DRIVE_META]))
    browser.sign_in(world.email, world.password)
    browser.allow()
    return browser


def _is_signed_in(server: Server, world: World, cookie: str) -> bool:
    answer = requests.get(auth_url(world, [DRIVE_META]), cookies={"accord_session": cookie},
                          allow_redirects=False)
    return "code=" in answer.headers.get("location", "")


def test_a_cookie_copied_before_sign_out_signs_nobody_in(server: Server, world: World) -> None:
    """Sign-out moves the session's generation on: an earlier copy of the cookie is dead."""
    browser = _signed_in_browser(server, world)
    copy = browser.http.cookies["accord_session"]
    assert _is_signed_in(server, world, copy)
    home = browser.http.get(server.url + "/")
    csrf = dict(forms(home.text)[0].fields)["csrf"]
    browser.http.post(server.url + "/signout", data={"csrf": csrf}, allow_redirects=False)
    assert not _is_signed_in(server, world, copy)
    assert not _is_signed_in(server, world, browser.http.cookies["accord_session"])


def test_signing_out_one_account_keeps_the_other(server: Server, world: World) -> None:
    browser = _signed_in_browser(server, world)
    other_email, other_sub = server.new_user()
    browser.open(auth_url(world, [DRIVE_META], prompt="select_account"))
    browser.open(browser.page.url.replace("/signin/chooser", "/signin"))
    browser.sign_in(other_email, world.password)
    browser.allow()
    copy = browser.http.cookies["accord_session"]
    home = browser.http.get(server.url + "/")
    csrf = dict(forms(home.text)[0].fields)["csrf"]
    browser.http.post(server.url + "/signout", data={"csrf": csrf, "account": other_sub},
                      allow_redirects=False)
    assert _is_signed_in(server, world, browser.http.cookies["accord_session"])
    assert not _is_signed_in(server, world, copy)
