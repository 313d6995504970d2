"""Lifetimes read the injected clock: codes, access tokens (reference §1.3.1, §1.23).

These run the real application in-process (Starlette's TestClient) on a real SQLite
file, with a FrozenClock the test moves instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from accord.app import create_app
from accord.clock import FrozenClock
from accord.services import Admin
from accord.settings import Settings
from accord.storage.database import Database
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from tests.browser import Browser
from tests.conftest import DRIVE_META, PASSWORD, REDIRECT_URI

ISSUER = "http://127.0.0.1:8400"


class Rig:
    def __init__(self, tmp: Path) -> None:
        settings = Settings(ISSUER, f"sqlite:///{tmp / 'a.db'}", tmp, b"k" * 40)
        engine = make_engine(settings.database_url)
        upgrade(engine)
        self.clock = FrozenClock(1_800_000_000)
        self.http = TestClient(create_app(settings, self.clock, Database(engine)), base_url=ISSUER)
        admin = Admin(engine, self.clock)
        self.email = "clock@example.com"
        admin.create_user(self.email, PASSWORD)
        admin.create_project("clock-project", "Clock App")
        new = admin.create_client("clock-project", "web", [REDIRECT_URI])
        self.client_id, self.secret = new.client_id, new.client_secret

    def code(self) -> str:
        browser = Browser(ISSUER, self.http)
        query = {"client_id": self.client_id, "redirect_uri": REDIRECT_URI,
                 "response_type": "code", "scope": DRIVE_META, "access_type": "offline"}
        browser.open(ISSUER + "/o/oauth2/v2/auth?" + urlencode(query))
        browser.sign_in(self.email, PASSWORD)
        browser.allow()
        return browser.callback_params()["code"]

    def exchange(self, code: str) -> dict[str, object]:
        return self.http.post("/token", data={
            "code": code, "client_id": self.client_id, "client_secret": self.secret,
            "redirect_uri": REDIRECT_URI, "grant_type": "authorization_code"}).json()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    yield Rig(tmp_path)


def test_code_expires_after_ten_minutes(rig: Rig) -> None:
    """RFC 6749 §4.1.2: a short-lived code (Accord: 600 s, Google's is undocumented)."""
    code = rig.code()
    rig.clock.advance(600)
    assert rig.exchange(code) == {"error": "invalid_grant", "error_description": "Bad Request"}


def test_code_is_good_until_then(rig: Rig) -> None:
    code = rig.code()
    rig.clock.advance(599)
    assert "access_token" in rig.exchange(code)


def test_access_token_lives_3599_seconds(rig: Rig) -> None:
    """expires_in 3599; tokeninfo counts down in strings, then answers Invalid Value."""
    token = rig.exchange(rig.code())["access_token"]
    rig.clock.advance(1000)
    info = rig.http.get("/tokeninfo", params={"access_token": token}).json()
    assert info["expires_in"] == "2599" and info["exp"] == str(1_800_000_000 + 3599)
    rig.clock.advance(2599)
    response = rig.http.get("/tokeninfo", params={"access_token": token})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_token", "error_description": "Invalid Value"}


def test_refresh_token_outlives_access_tokens(rig: Rig) -> None:
    """Refresh tokens have no fixed lifetime (reference §1.3.3)."""
    body = rig.exchange(rig.code())
    rig.clock.advance(90 * 24 * 3600)
    refreshed = rig.http.post("/token", data={
        "grant_type": "refresh_token", "refresh_token": body["refresh_token"],
        "client_id": rig.client_id, "client_secret": rig.secret}).json()
    assert refreshed["expires_in"] == 3599
    info = rig.http.get("/tokeninfo", params={"access_token": refreshed["access_token"]}).json()
    assert info["expires_in"] == "3599"


def test_browser_sessions_end_after_fourteen_days(rig: Rig) -> None:
    """The signed session cookie carries its time from the same clock."""
    rig.code()  # signs in
    query = {"client_id": rig.client_id, "redirect_uri": REDIRECT_URI, "response_type": "code",
             "scope": DRIVE_META}
    browser = Browser(ISSUER, rig.http)
    browser.open(ISSUER + "/o/oauth2/v2/auth?" + urlencode(query))
    assert browser.left_to is not None, "still signed in: no page"
    rig.clock.advance(14 * 24 * 3600 + 1)
    browser.open(ISSUER + "/o/oauth2/v2/auth?" + urlencode(query))
    assert browser.left_to is None and "/signin?" in str(browser.page.url)
