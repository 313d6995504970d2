"""Sign-in throttling windows that end, tested without sleeping: the counters with a FrozenClock
on the backend's real database, and the whole app in-process with a FrozenClock (issue 4).
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from accord.app import create_app
from accord.clock import FrozenClock
from accord.interaction.throttle import (
    Limits,
    Throttle,
    account_key,
    address_key,
    pair_key,
)
from accord.services import Admin
from accord.settings import Settings
from accord.storage.accounts import SqlThrottleCounters
from accord.storage.database import Database
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from tests.browser import Browser
from tests.conftest import (
    PASSWORD,
    Server,
)
from tests.e2e.account.throttling import (
    SIGNIN,
    unknown_email,
)

# The counters themselves, with a FrozenClock, on the backend's real database ------------


@pytest.fixture
def counters(server: Server) -> SqlThrottleCounters:
    return SqlThrottleCounters(make_engine(server.env["ACCORD_DATABASE_URL"]))


def test_window_end_forgets_failures(counters: SqlThrottleCounters) -> None:
    """Fixed windows: at the limit until the window ends, then a clean slate; a failure
    after the window starts a new window at 1."""
    clock = FrozenClock(1_900_000_000)
    throttle = Throttle(counters, Limits(window=60, per_account=3, per_address=10), clock)
    email, address = unknown_email(), f"203.0.113.{uuid.uuid4().int % 250}"
    for _ in range(3):
        assert throttle.blocked(email, address) is None
        throttle.failed(email, address)
    assert throttle.blocked(email, address) == "account"
    clock.advance(59)
    assert throttle.blocked(email, address) == "account"
    clock.advance(1)
    assert throttle.blocked(email, address) is None
    throttle.failed(email, address)
    assert counters.counts([account_key(email)], clock.now(), 60) == {account_key(email): 1}


def test_address_limit_and_reset(counters: SqlThrottleCounters) -> None:
    """The address limit spans accounts; a success clears the account's count at that
    address only."""
    clock = FrozenClock(1_900_000_000)
    throttle = Throttle(counters, Limits(window=60, per_account=3, per_address=4), clock)
    address = f"198.51.100.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    email = unknown_email()
    throttle.failed(email, address)
    throttle.succeeded(email, address)
    # The success forgives its own address; the account's ceiling keeps counting.
    assert counters.counts([pair_key(email, address)], clock.now(), 60) == {}
    assert counters.counts([account_key(email)], clock.now(), 60) == {account_key(email): 1}
    for _ in range(3):
        throttle.failed(unknown_email(), address)
    assert throttle.blocked(unknown_email(), address) == "address"
    assert throttle.blocked(unknown_email(), "192.0.2.1-" + uuid.uuid4().hex) is None


def test_concurrent_failures_are_all_counted(counters: SqlThrottleCounters) -> None:
    """Several workers failing on one key at once: no failure is lost (the update-then-
    insert race is resolved by counting on the winner's row)."""
    key = address_key(uuid.uuid4().hex)
    now = int(time.time())
    barrier = threading.Barrier(8)

    def fail() -> None:
        barrier.wait()
        for _ in range(5):
            counters.fail(key, now, 900)

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters.counts([key], now, 900) == {key: 40}


def test_purge_forgets_ended_windows(counters: SqlThrottleCounters) -> None:
    key = address_key(uuid.uuid4().hex)
    counters.fail(key, 1_000, 60)
    counters.purge(1_060, 60)
    assert counters.counts([key], 1_000, 60) == {}


# The whole app in-process with a FrozenClock: the window ends without sleeping -----------


def test_throttled_signin_works_again_after_the_window(tmp_path: Path) -> None:
    """Through the pages: refused at the 6th attempt, and the right password works
    once the window (ACCORD_SIGNIN_WINDOW) has passed."""
    issuer = "http://127.0.0.1:8400"
    settings = Settings(issuer, f"sqlite:///{tmp_path / 'a.db'}", tmp_path, b"k" * 40,
                        signin_window=120)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = FrozenClock(1_800_000_000)
    Admin(engine, clock).create_user("window@example.com", PASSWORD)
    browser = Browser(issuer, TestClient(create_app(settings, clock, Database(engine)), base_url=issuer))
    browser.open(issuer + SIGNIN)
    for _ in range(5):
        browser.sign_in("window@example.com", "wrong password")
    browser.sign_in("window@example.com", PASSWORD)
    assert browser.page.status_code == 429
    clock.advance(119)
    browser.sign_in("window@example.com", PASSWORD)
    assert browser.page.status_code == 429
    clock.advance(1)
    browser.sign_in("window@example.com", PASSWORD)
    assert str(browser.page.url) == issuer + "/account"


def test_signin_throttling_settings_are_read_from_the_environment() -> None:
    env = {"ACCORD_SIGNIN_WINDOW": "2", "ACCORD_SIGNIN_MAX_PER_ACCOUNT": "3",
           "ACCORD_SIGNIN_MAX_PER_ADDRESS": "7", "ACCORD_SECRET_KEY": "k" * 40,
           "ACCORD_DATABASE_URL": "sqlite://"}
    settings = Settings.from_env(env)
    assert (settings.signin_window, settings.signin_max_per_account,
            settings.signin_max_per_address, settings.signup) == (2, 3, 7, False)
    assert Settings.from_env({**env, "ACCORD_SIGNUP": "1"}).signup
