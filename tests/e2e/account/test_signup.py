"""Self-service sign-up (issue 4): off unless the operator allows it, then the form's checks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests

from accord.storage.engine import make_engine
from accord.storage.sql import SqlStore
from tests.browser import Browser
from tests.conftest import PASSWORD, Server, World
from tests.e2e.account.support import (
    SIGNIN,
    sign_in,
    text,
)


def test_signup_is_off_unless_the_operator_allows_it(server: Server) -> None:
    """Without ACCORD_SIGNUP=1 there is no sign-up page, and no link to one."""
    assert requests.get(server.url + "/signup").status_code == 404
    assert requests.post(server.url + "/signup", data={"email": "x@example.com"}).status_code == 404
    assert "/signup" not in requests.get(server.url + SIGNIN).text


@pytest.fixture(scope="module")
def signup_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A second server on the same database, with self-service sign-up on."""
    srv = Server(database_url, tmp_path_factory.mktemp("accord-signup"))
    srv.env["ACCORD_SIGNUP"] = "1"
    srv.start()
    yield srv
    srv.stop()


def signup(server: Server, email: str, password: str = PASSWORD, confirm: str | None = None,
           name: str = "New Person") -> Browser:
    browser = Browser(server.url)
    browser.open(server.url + SIGNIN + "?continue=/account")
    assert 'id="create-account"' in browser.page.text
    browser.open(server.url + "/signup?continue=%2Faccount%3Fauthuser%3D0")
    browser.submit({"name": name, "email": email, "password": password,
                    "confirm": password if confirm is None else confirm})
    return browser


def test_signup_creates_the_account_and_signs_in(signup_server: Server) -> None:
    """Sign-up makes the account (email not verified: nobody checked it), signs it in
    and goes on to ``continue``; the account then signs in as any other."""
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    browser = signup(signup_server, email, name="New <Person>")
    assert browser.page.url == signup_server.url + "/account?authuser=0"
    assert "Welcome, New &lt;Person&gt;" in browser.page.text
    found = SqlStore(make_engine(signup_server.env["ACCORD_DATABASE_URL"])).user_by_login(email)
    assert found is not None and not found[0].email_verified
    assert sign_in(signup_server, email).page.url == signup_server.url + "/account"


def test_signup_with_a_taken_email_reveals_no_more_than_needed(
    signup_server: Server, world: World
) -> None:
    """A taken email gets the generic refusal, and nobody is signed in."""
    browser = signup(signup_server, world.email.upper())
    assert browser.page.status_code == 400
    assert "Couldn't create the account. Try another email or sign in." in text(browser)
    browser.open(signup_server.url + "/account")
    assert SIGNIN in browser.page.url


def test_signup_checks_the_form(signup_server: Server) -> None:
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    browser = signup(signup_server, email, confirm="something else")
    assert browser.page.status_code == 400 and "didn't match" in text(browser)
    browser = signup(signup_server, email, password="short")
    assert browser.page.status_code == 400 and "8 characters" in browser.page.text
    assert sign_in(signup_server, email).page.status_code == 401  # nothing was created
