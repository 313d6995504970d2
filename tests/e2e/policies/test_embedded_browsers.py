"""Google's disallowed_useragent: embedded browsers are refused, real browsers are not (reference
§1.1), with plain requests and in headless Chromium.
"""

from __future__ import annotations

import os

import pytest
import requests
from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM, LAUNCH_ARGS
from tests.conftest import Server, World
from tests.flows import flow_for

ANDROID_WEBVIEW = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.71 Mobile Safari/537.36"
)
IOS_WKWEBVIEW = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148"
)
FACEBOOK_IAB = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/466.0.0.38.109;FBBV/600000000;FBDV/iPhone15,2]"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.6478.71 Mobile Safari/537.36"
)
SAFARI_IOS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


# Embedded browsers ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("agent", "refused"),
    [
        (ANDROID_WEBVIEW, True),
        (IOS_WKWEBVIEW, True),
        (FACEBOOK_IAB, True),
        (CHROME_ANDROID, False),
        (SAFARI_IOS, False),
    ],
    ids=["android-webview", "ios-wkwebview", "facebook-in-app", "chrome-android", "safari-ios"],
)
def test_google_disallowed_useragent(server: Server, world: World, agent: str, refused: bool) -> None:
    """Requests from embedded web views get Google's disallowed_useragent page (403);
    real browsers go on to sign in (reference §1.1)."""
    url, _ = flow_for(world, ["openid"]).authorization_url()
    response = requests.get(url, headers={"User-Agent": agent}, allow_redirects=False)
    if refused:
        assert response.status_code == 403
        assert "Error 403: disallowed_useragent" in response.text
    else:
        assert response.status_code == 302 and "/signin" in response.headers["location"]


def test_google_disallowed_useragent_in_chromium(server: Server, world: World) -> None:
    """The same page in a real browser that presents an Android WebView user agent."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    url, _ = flow_for(world, ["openid"]).authorization_url()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        page = browser.new_context(user_agent=ANDROID_WEBVIEW).new_page()
        response = page.goto(url)
        assert response is not None and response.status == 403
        assert "disallowed_useragent" in page.inner_text("body")
        browser.close()
