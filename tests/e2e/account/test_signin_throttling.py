"""Abuse resistance for sign-in (issue 4): throttling per account and per address, no
user enumeration, and the audit log of sign-ins.

Throttling counts every failure from 127.0.0.1, so these tests run their own servers on
their own databases (the shared ``server`` must not be throttled by them), with limits set
through the environment.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import update

from accord.interaction.throttle import (
    REFUSED,
    THROTTLED,
)
from accord.storage.audit import AuditLog
from accord.storage.engine import make_engine
from accord.storage.schema import users
from accord.storage.sql import SqlStore
from tests.browser import Browser
from tests.conftest import (
    DRIVE_META,
    PASSWORD,
    REDIRECT_URI,
    Server,
    create_pg_database,
    drop_pg_database,
)
from tests.e2e.account.throttling import (
    CSRF,
    SIGNIN,
    unknown_email,
)

MakeServer = Callable[..., Server]


@pytest.fixture(scope="module")
def fresh_database(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], str]]:
    """New, empty databases of the backend under test."""
    made = []

    def make() -> str:
        if database_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path_factory.mktemp('abuse') / 'accord.db'}"
        made.append(create_pg_database())
        return made[-1].url

    yield make
    for db in made:
        drop_pg_database(db)


@pytest.fixture(scope="module")
def make_server(
    fresh_database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MakeServer]:
    """``accord serve`` on its own database with extra environment (limits, sign-up)."""
    started: list[Server] = []

    def make(**env: str) -> Server:
        srv = Server(fresh_database(), tmp_path_factory.mktemp("accord-abuse"))
        srv.env.update(env)
        srv.start()
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="module")
def per_account(make_server: MakeServer) -> Server:
    """Default limit of an account from one address (5 in 15 minutes); the address limit
    out of the way."""
    return make_server(ACCORD_SIGNIN_MAX_PER_ADDRESS="100000")


@pytest.fixture(scope="module")
def unlimited(make_server: MakeServer) -> Server:
    """No throttling in reach: for comparing answers and timings over many attempts."""
    return make_server(
        ACCORD_SIGNIN_MAX_PER_ACCOUNT="100000", ACCORD_SIGNIN_MAX_PER_ADDRESS="100000",
        ACCORD_SIGNIN_MAX_PER_ADDRESS_ACCOUNT="100000",
    )


def attempt(server: Server, email: str, password: str, browser: Browser | None = None) -> Browser:
    """One sign-in on the stand-alone page (the browser keeps its session)."""
    browser = browser or Browser(server.url)
    browser.open(f"{server.url}{SIGNIN}?continue=/account")
    browser.sign_in(email, password)
    return browser


def alert(browser: Browser) -> str | None:
    found = re.search(r'role="alert">(.*?)</p>', browser.page.text)
    return found.group(1) if found else None


def normalized(browser: Browser, email: str) -> str:
    """The page without what legitimately differs: the CSRF token and the echoed email."""
    return CSRF.sub('name="csrf" value=""', browser.page.text).replace(email, "EMAIL")


def test_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(
    per_account: Server,
) -> None:
    """After 5 failures in the window the account's sign-ins are refused before the
    password is checked: 429, "Too many failed attempts. Try again later." """
    email, _ = per_account.new_user()
    for _ in range(5):
        browser = attempt(per_account, email, "wrong password")
        assert (browser.page.status_code, alert(browser)) == (401, REFUSED)
    browser = attempt(per_account, email, PASSWORD)
    assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)
    assert SIGNIN in browser.page.url  # not signed in, not sent on


def test_unknown_and_existing_accounts_are_throttled_alike(per_account: Server) -> None:
    """An unknown email is counted and throttled exactly like an existing one, with
    the same page: throttling reveals nothing about which accounts exist."""
    known, _ = per_account.new_user()
    unknown = unknown_email()
    pages = {}
    for email in (known, unknown):
        for _ in range(5):
            assert attempt(per_account, email, "wrong password").page.status_code == 401
        browser = attempt(per_account, email, PASSWORD)
        assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)
        pages[email] = normalized(browser, email)
    assert pages[known] == pages[unknown]


def test_success_resets_the_account_count(per_account: Server) -> None:
    """A successful sign-in clears the account's failures: 4 + success + 4 stays under 5."""
    email, _ = per_account.new_user()
    for _ in range(2):
        for _ in range(4):
            assert attempt(per_account, email, "wrong password").page.status_code == 401
        browser = attempt(per_account, email, PASSWORD)
        assert browser.page.url == per_account.url + "/account"


def auth_url(server: Server, client_id: str) -> str:
    query = {"client_id": client_id, "redirect_uri": REDIRECT_URI, "response_type": "code",
             "scope": DRIVE_META, "access_type": "offline"}
    return f"{server.url}/o/oauth2/v2/auth?{urlencode(query)}"


def test_authorization_signin_page_is_throttled_too(per_account: Server) -> None:
    """The sign-in page of an authorization request counts and refuses the same way, and
    a throttled account gets no code even with the right password."""
    world = per_account.new_world()
    browser = Browser(per_account.url)
    browser.open(auth_url(per_account, world.client.client_id))
    for _ in range(5):
        browser.sign_in(world.email, "wrong password")
        assert (browser.page.status_code, alert(browser)) == (401, REFUSED)
    browser.sign_in(world.email, world.password)
    assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)
    assert browser.left_to is None and "/signin?" in browser.page.url


def test_wrong_current_password_counts_toward_the_account_limit(per_account: Server) -> None:
    """Changing the password checks the current one like a sign-in: failures count, and
    once throttled even the right current password is refused (429)."""
    email, _ = per_account.new_user()
    browser = attempt(per_account, email, PASSWORD)
    browser.open(per_account.url + "/account/password")
    wrong = {"current": "not it at all", "new": "a new password", "confirm": "a new password"}
    for _ in range(5):
        browser.submit(wrong)
        assert (browser.page.status_code, alert(browser)) == (401, "Wrong password. Try again.")
    browser.submit({**wrong, "current": PASSWORD})
    assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)
    # The same account count: signing in is refused now too.
    assert attempt(per_account, email, PASSWORD).page.status_code == 429


def test_failures_are_counted_per_address(make_server: MakeServer) -> None:
    """Failures from one address on different accounts add up: at the address limit every
    sign-in from it is refused, even a first attempt on another account, and so is
    sign-up."""
    srv = make_server(ACCORD_SIGNIN_MAX_PER_ADDRESS="4", ACCORD_SIGNUP="1")
    email, _ = srv.new_user()
    for _ in range(4):
        assert attempt(srv, unknown_email(), "guess").page.status_code == 401
    browser = attempt(srv, email, PASSWORD)
    assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)
    browser.open(srv.url + "/signup")
    browser.submit({"name": "New", "email": unknown_email(), "password": PASSWORD,
                    "confirm": PASSWORD})
    assert (browser.page.status_code, alert(browser)) == (429, THROTTLED)


def test_unknown_email_and_wrong_password_get_the_identical_answer(unlimited: Server) -> None:
    """No user enumeration: same status, same page (but for the CSRF token and the email
    echoed in the form), same message, for an unknown email, a wrong password and a
    disabled account."""
    known, _ = unlimited.new_user()
    disabled, _ = unlimited.new_user()
    with make_engine(unlimited.env["ACCORD_DATABASE_URL"]).begin() as conn:
        conn.execute(update(users).where(users.c.email == disabled).values(disabled_at=1))
    answers = set()
    for email, password in [(known, "wrong password"), (unknown_email(), "wrong password"),
                            (disabled, PASSWORD)]:
        browser = attempt(unlimited, email, password)
        assert alert(browser) == REFUSED
        answers.add((browser.page.status_code, normalized(browser, email)))
    assert len(answers) == 1 and next(iter(answers))[0] == 401


def test_unknown_email_costs_the_same_time_as_a_wrong_password(unlimited: Server) -> None:
    """Timing reveals nothing either: both paths run one argon2 verification, so their
    median times are within a factor of two (a behaviour check, not a speed limit)."""
    known, _ = unlimited.new_user()
    unknown = unknown_email()
    times: dict[str, list[float]] = {known: [], unknown: []}
    browsers = {email: attempt(unlimited, email, "warm up") for email in times}
    for _ in range(10):
        for email, browser in browsers.items():
            started = time.perf_counter()
            browser.sign_in(email, "wrong password")
            times[email].append(time.perf_counter() - started)
            assert browser.page.status_code == 401
    ratio = statistics.median(times[unknown]) / statistics.median(times[known])
    assert 0.5 < ratio < 2, times


def test_signins_are_audited(per_account: Server) -> None:
    """Failures (with the internal reason), throttled attempts and successes are in the
    audit log with the account and the client address; unknown emails by their email."""
    email, _ = per_account.new_user()
    attempt(per_account, email, PASSWORD)
    for _ in range(6):
        attempt(per_account, email, "wrong password")
    unknown = unknown_email()
    attempt(per_account, unknown, "guess")
    engine = make_engine(per_account.env["ACCORD_DATABASE_URL"])
    found = SqlStore(engine).user_by_login(email)
    assert found is not None
    log = AuditLog(engine)
    mine = [(e["event"], e["outcome"]) for e in reversed(log.recent(user_pk=found[0].pk))]
    assert mine[-7:] == [("signin.success", "ok")] + [("signin.failure", "wrong_password")] * 5 + [
        ("signin.throttled", "address_account_limit")
    ]
    event = log.recent(user_pk=found[0].pk, limit=1)[0]
    assert event["address"] == "127.0.0.1" and event["email"] == email
    assert event["detail"] == {"via": "signin"}
    theirs = [e for e in log.recent(limit=50) if e["email"] == unknown]
    assert [(e["event"], e["outcome"], e["user_pk"]) for e in theirs] == [
        ("signin.failure", "unknown_account", None)
    ]
