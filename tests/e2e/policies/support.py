"""Helpers of the access-policy tests: sign in and stop where Accord stops, and the page's text."""

from __future__ import annotations

import re

from tests.browser import Browser
from tests.conftest import PASSWORD, Server, World
from tests.flows import flow_for

EMAIL = "https://www.googleapis.com/auth/userinfo.email"


def _page_error(server: Server, world: World, scopes: list[str], email: str) -> Browser:
    """Sign in and stop where Accord stops: on a page (an error) or back at the client."""
    url, _ = flow_for(world, scopes).authorization_url()
    browser = Browser(server.url)
    browser.open(url)
    if browser.left_to is None and "/signin?" in browser.page.url:
        browser.sign_in(email, PASSWORD)
    return browser


def _text(browser: Browser) -> str:
    return re.sub(r"\s+", " ", browser.page.text)
