"""The Flask sample of Google's web-server guide, run against Accord.

The sample runs as its own process (``python examples/flask_app/app.py``) and is
driven by a cookie-keeping requests session that follows redirects across both
origins, the way a browser moves between the sample and Accord's pages.
"""

from __future__ import annotations

import re

import requests

from tests.conftest import DRIVE_META, PASSWORD, Server
from tests.e2e.sample.support import (
    REVOKED,
    CrossOriginBrowser,
    Sample,
    authorize_through_sample,
)


def test_sample_index_offers_the_five_links(sample: Sample) -> None:
    page = requests.get(sample.url + "/", timeout=30)
    assert page.status_code == 200
    links = re.findall(r'<a href="([^"]+)">', page.text)
    assert links == ["/drive", "/calendar", "/authorize", "/revoke", "/clear"]


def test_sample_api_pages_start_the_flow_without_credentials(
    server: Server, sample: Sample
) -> None:
    browser = CrossOriginBrowser()
    page = browser.open(sample.url + "/drive")
    assert page.url.startswith(server.url + "/signin?"), page.url
    assert [r.url for r in page.history][:2] == [
        sample.url + "/drive", sample.url + "/authorize"
    ]


def test_sample_full_flow_drive_calendar_revoke_clear(server: Server, sample: Sample) -> None:
    email, _sub = server.new_user("Sample User")
    browser = CrossOriginBrowser()
    index = authorize_through_sample(browser, sample.url, server.url, email, PASSWORD)
    assert '<a href="/drive">' in index.text

    # Drive v2 files().list() through googleapiclient, discovered from Accord.
    drive = browser.open(sample.url + "/drive")
    assert drive.status_code == 200, drive.text
    listing = drive.json()
    assert listing["kind"] == "drive#fileList"
    assert isinstance(listing["items"], list) and listing["items"]
    assert all(item["kind"] == "drive#file" for item in listing["items"])

    # Calendar v3 events().list(calendarId="primary").
    calendar = browser.open(sample.url + "/calendar")
    assert calendar.status_code == 200, calendar.text
    assert "Upcoming events on the primary calendar" in calendar.text
    assert calendar.text.count("<li>") >= 1

    # Revocation at Accord's /revoke kills the grant: the access token and the refresh
    # token. The sample still holds them, so the next API call gets 401, the library
    # tries to refresh, and the token endpoint answers invalid_grant.
    revoked = browser.open(sample.url + "/revoke")
    assert revoked.status_code == 200
    assert revoked.text.startswith(REVOKED)
    after = browser.open(sample.url + "/drive")
    assert after.status_code == 401, after.text
    assert "invalid_grant" in after.text
    assert "expired or revoked" in after.text
    again = browser.open(sample.url + "/revoke")
    assert again.text.startswith("An error occurred.")  # Accord: 400 invalid_token

    # /clear forgets the credentials: the API pages start the flow again, and a new
    # consent gives working credentials.
    cleared = browser.open(sample.url + "/clear")
    assert cleared.text.startswith("Credentials have been cleared.")
    restart = browser.open(sample.url + "/drive")
    assert restart.url.startswith(server.url + "/signin"), restart.url
    authorize_through_sample(browser, sample.url, server.url, email, PASSWORD)
    assert browser.open(sample.url + "/drive").json()["kind"] == "drive#fileList"


def test_sample_granular_consent_disables_the_calendar_feature(
    server: Server, sample: Sample
) -> None:
    """The sample checks the granted scopes (include_granted_scopes, granular consent):
    with only Drive ticked, /drive works and /calendar says the feature is off."""
    email, _sub = server.new_user()
    browser = CrossOriginBrowser()
    authorize_through_sample(browser, sample.url, server.url, email, PASSWORD, grant=[DRIVE_META])
    assert browser.open(sample.url + "/drive").json()["kind"] == "drive#fileList"
    assert browser.open(sample.url + "/calendar").text == "<p>Calendar feature is not enabled.</p>"


def test_sample_revoke_without_credentials_asks_to_authorize(sample: Sample) -> None:
    page = requests.get(sample.url + "/revoke", timeout=30)
    assert page.status_code == 200
    assert 'You need to <a href="/authorize">authorize</a>' in page.text
