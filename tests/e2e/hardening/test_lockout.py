"""Issue 12: wrong passwords no longer hand anyone a lever to lock an account out.

Failures are limited per account *from one address* first (ACCORD_SIGNIN_MAX_PER_ADDRESS_ACCOUNT,
5), per address (ACCORD_SIGNIN_MAX_PER_ADDRESS, 20), and only then per account from every
address together, at a much higher ceiling (ACCORD_SIGNIN_MAX_PER_ACCOUNT, 100). Until
now five wrong passwords from anywhere locked the account for 15 minutes. Each browser
here connects from its own loopback address to the real server (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re

import pytest

from accord.interaction.throttle import REFUSED, THROTTLED
from tests.browser import Browser
from tests.conftest import PASSWORD, Server
from tests.e2e.hardening.conftest import MakeServer, session_from

SIGNIN = "/signin/v2/identifier"


@pytest.fixture(scope="module")
def srv(make_server: MakeServer) -> Server:
    """The default per-address limits, and a ceiling of 12 so that the test can reach it."""
    return make_server(ACCORD_SIGNIN_MAX_PER_ACCOUNT="12")


def attempt(srv: Server, address: str, email: str, password: str) -> tuple[int, str | None]:
    browser = Browser(srv.url, session_from(address))
    browser.open(f"{srv.url}{SIGNIN}?continue=/account")
    browser.sign_in(email, password)
    found = re.search(r'role="alert">(.*?)</p>', browser.page.text)
    if browser.page.url == srv.url + "/account":
        return 200, None
    return browser.page.status_code, found.group(1) if found else None


def test_an_attacker_at_one_address_is_stopped_the_owner_elsewhere_signs_in(srv: Server) -> None:
    email, _ = srv.new_user()
    answers = [attempt(srv, "127.0.0.11", email, "guess") for _ in range(8)]
    assert answers[:5] == [(401, REFUSED)] * 5
    assert answers[5:] == [(429, THROTTLED)] * 3  # stopped after 5, before any password check
    # Even the right password from the attacker's address is refused now ...
    assert attempt(srv, "127.0.0.11", email, PASSWORD) == (429, THROTTLED)
    # ... but the owner, from another address, signs in while the attacker keeps trying.
    assert attempt(srv, "127.0.0.12", email, PASSWORD) == (200, None)
    assert attempt(srv, "127.0.0.11", email, "guess") == (429, THROTTLED)
    assert attempt(srv, "127.0.0.12", email, PASSWORD) == (200, None)


def test_the_owner_signs_in_up_to_the_per_account_ceiling(srv: Server) -> None:
    """Attackers at several addresses add up on the account: below the ceiling (12) the
    owner still signs in; at it, every address is refused (the ceiling a botnet meets)."""
    email, _ = srv.new_user()
    for address in ("127.0.0.21", "127.0.0.22"):
        for _ in range(5):
            assert attempt(srv, address, email, "guess") == (401, REFUSED)
    assert attempt(srv, "127.0.0.29", email, PASSWORD) == (200, None)  # 10 failures < 12
    for _ in range(2):
        assert attempt(srv, "127.0.0.23", email, "guess") == (401, REFUSED)
    assert attempt(srv, "127.0.0.29", email, PASSWORD) == (429, THROTTLED)  # 12: the ceiling


def test_a_success_clears_only_its_own_address(srv: Server) -> None:
    """The owner's typos at their address are forgiven by a success there; an attacker's
    count at another address is not."""
    email, _ = srv.new_user()
    for _ in range(3):
        assert attempt(srv, "127.0.0.31", email, "typo") == (401, REFUSED)
        assert attempt(srv, "127.0.0.32", email, "guess") == (401, REFUSED)
    assert attempt(srv, "127.0.0.31", email, PASSWORD) == (200, None)
    for _ in range(3):  # 3 + 3 would be 6 without the success: over the limit of 5
        assert attempt(srv, "127.0.0.31", email, "typo") == (401, REFUSED)
    assert attempt(srv, "127.0.0.31", email, PASSWORD) == (200, None)
    for _ in range(2):
        assert attempt(srv, "127.0.0.32", email, "guess") == (401, REFUSED)
    assert attempt(srv, "127.0.0.32", email, PASSWORD) == (429, THROTTLED)  # 5 at .32


def test_signin_limits_are_settings() -> None:
    from accord.settings import Settings

    env = {"ACCORD_SECRET_KEY": "k" * 40, "ACCORD_DATABASE_URL": "sqlite://"}
    defaults = Settings.from_env(env)
    assert (defaults.signin_max_per_address_account, defaults.signin_max_per_address,
            defaults.signin_max_per_account) == (5, 20, 100)
    settings = Settings.from_env({**env, "ACCORD_SIGNIN_MAX_PER_ADDRESS_ACCOUNT": "3"})
    assert settings.signin_max_per_address_account == 3
