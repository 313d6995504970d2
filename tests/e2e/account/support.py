"""Helpers of the account page's tests: signing in on the stand-alone page, forms, refreshes with
google-auth, the page's text and apps, the audit log.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import google.auth.transport.requests
from google.oauth2.credentials import Credentials

from accord.storage.audit import AuditLog
from accord.storage.engine import make_engine
from accord.storage.sql import SqlStore
from tests.browser import Browser, forms
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, Server, World

SIGNIN = "/signin/v2/identifier"
SCOPES = [DRIVE_META, CALENDAR_RO]
DATE = re.compile(r"[A-Z][a-z]+ \d{1,2}, \d{4}")


def sign_in(server: Server, email: str, password: str = PASSWORD,
            continue_to: str = "/account", browser: Browser | None = None) -> Browser:
    browser = browser or Browser(server.url)
    browser.open(f"{server.url}{SIGNIN}?continue={quote(continue_to, safe='')}")
    browser.sign_in(email, password)
    return browser


def form_index(browser: Browser, action: str, button: tuple[str, str] | None = None) -> int:
    """The index of the page's form posting to ``action`` (with that button)."""
    for i, form in enumerate(forms(browser.page.text)):
        if form.action == action and (button is None or button in form.buttons):
            return i
    raise AssertionError(f"no form for {action} {button} on {browser.page.url}")


def refreshed(world: World, refresh_token: str) -> Credentials:
    creds = Credentials(
        token=None,
        refresh_token=refresh_token,
        token_uri=world.client.config["web"]["token_uri"],
        client_id=world.client.client_id,
        client_secret=world.client.client_secret,
    )
    creds.refresh(google.auth.transport.requests.Request())
    return creds


def text(browser: Browser) -> str:
    """The page's HTML with entities decoded (Jinja escapes apostrophes)."""
    return html.unescape(browser.page.text)


def apps_on(browser: Browser) -> list[str]:
    return re.findall(r'class="app-name">(.*?)<', browser.page.text)


def audit(server: Server, email: str) -> list[dict[str, object]]:
    engine = make_engine(server.env["ACCORD_DATABASE_URL"])
    found = SqlStore(engine).user_by_login(email)
    assert found is not None
    return AuditLog(engine).recent(user_pk=found[0].pk)
