"""The account page in headless Chromium (issue 4)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from google.auth.exceptions import RefreshError
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import sync_playwright

from accord.google.scopes import describe
from tests.chromium import CHROMIUM, PHONE, AccordPage, ClientSite, launch
from tests.conftest import Server, World
from tests.e2e.account.support import (
    SCOPES,
    SIGNIN,
    refreshed,
)
from tests.flows import flow_for

# Headless Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[tuple[Chromium, ClientSite]]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run scripts/install-system-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    site = ClientSite()
    site.start()
    with sync_playwright() as playwright:
        browser = launch(playwright, site)
        yield browser, site
        browser.close()
    site.stop()


@pytest.mark.browser
def test_account_page_in_chromium(
    server: Server, world: World, chromium: tuple[Chromium, ClientSite],
    request: pytest.FixtureRequest,
) -> None:
    """In a real browser: authorize an app, open the account page (desktop and phone
    widths), remove the app's access; its refresh token then fails with invalid_grant."""
    browser, site = chromium
    label = str(request.node.callspec.params.get("database_url", ""))
    context = browser.new_context()
    try:
        tab = AccordPage(context.new_page(), server.url, label)
        callback = site.callback()
        flow = flow_for(world, SCOPES)
        url, _ = flow.authorization_url(access_type="offline")
        tab.open(url)
        tab.wait_for("/signin?")
        tab.sign_in(world.email, world.password)
        tab.wait_for("/signin/consent?")
        tab.allow(SCOPES)
        tab.wait_for_client()
        flow.fetch_token(authorization_response=callback.url)

        tab.open(server.url + "/account")
        page = tab.page
        assert page.locator(".app-name").all_inner_texts() == ["Test App"]
        for scope in SCOPES:
            assert page.get_by_text(describe(scope).description).is_visible()
        tab.screenshot("10-account")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        tab.screenshot("11-account-phone")

        page.get_by_role("button", name="Remove access").click()
        tab.wait_for("/account?notice=removed")
        assert page.locator("#notice").inner_text() == "Access removed."
        assert page.locator("#no-apps").is_visible()
        tab.screenshot("12-account-removed")
        with pytest.raises(RefreshError, match="invalid_grant"):
            refreshed(world, flow.credentials.refresh_token)

        page.get_by_role("button", name="Sign out of all accounts").click()
        page.wait_for_url(server.url + "/")
        tab.open(server.url + "/account")
        tab.wait_for(SIGNIN)
        tab.screenshot("13-signin-standalone")
    finally:
        context.close()
