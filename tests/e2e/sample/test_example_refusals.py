"""The Flask sample answers the authorization server's refusals with a page that says
what happened, not with a bare "Internal Server Error" (RFC 6749 §4.1.2.1: the error
comes back to the redirect URI as ``?error=...&state=...``)."""

from __future__ import annotations

import requests

from tests.conftest import PASSWORD, Server
from tests.e2e.sample.support import CrossOriginBrowser, Sample


def _to_consent(server: Server, sample: Sample) -> CrossOriginBrowser:
    email, _ = server.new_user("Refusing User")
    browser = CrossOriginBrowser()
    page = browser.open(sample.url + "/authorize")
    assert "/signin" in page.url, page.url
    page = browser.submit({"email": email, "password": PASSWORD})
    assert page.url.startswith(server.url + "/signin/consent"), page.url
    return browser


def test_sample_shows_access_denied_after_cancel(server: Server, sample: Sample) -> None:
    browser = _to_consent(server, sample)
    page = browser.submit(button=("action", "deny"))
    assert page.url.startswith(sample.url + "/oauth2callback?error=access_denied"), page.url
    assert page.status_code == 403
    assert "<code>access_denied</code>" in page.text
    assert 'href="/authorize"' in page.text
    assert "Internal Server Error" not in page.text


def test_sample_shows_access_denied_when_nothing_is_ticked(
    server: Server, sample: Sample
) -> None:
    browser = _to_consent(server, sample)
    page = browser.submit(button=("action", "allow"), tick=[])
    assert "/oauth2callback?error=access_denied" in page.url, page.url
    assert page.status_code == 403
    assert "<code>access_denied</code>" in page.text


def test_sample_callback_without_a_pending_request(sample: Sample) -> None:
    page = requests.get(sample.url + "/oauth2callback?code=x&state=y", timeout=30)
    assert page.status_code == 400
    assert "<code>no_pending_request</code>" in page.text


def test_sample_pages_have_a_mobile_viewport(sample: Sample) -> None:
    page = requests.get(sample.url + "/", timeout=30)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
