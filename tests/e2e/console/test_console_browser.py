"""The developer console in headless Chromium: what a developer does on a first day.

Create a project, fill in the consent screen, create a web client, download its
``client_secret.json`` and use it with google-auth-oauthlib, then rotate the secret;
and the same pages on a phone, without horizontal scrolling. Screenshots of each step
go to test-artifacts/console/ (gitignored).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from google_auth_oauthlib.flow import Flow
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from accord.clock import SystemClock
from accord.google import paths
from accord.interaction.signin_page import SIGNIN
from accord.services import Operator, Organizations
from tests.chromium import PHONE, AccordPage, ClientSite
from tests.conftest import DRIVE_META, PASSWORD, REDIRECT_URI, ROOT, Server

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "console"
APP_NAME = "Ledger & Sons <console>"
NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[NewContext]:
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        made.append(chromium.new_context(accept_downloads=True, **options))
        return made[-1]

    yield make
    for context in made:
        context.close()


class Shots:
    """Numbered screenshots of one test, named after the step and the backend."""

    def __init__(self, page: Page, prefix: str, label: str) -> None:
        self.page, self.prefix, self.label, self.count = page, prefix, label, 0

    def __call__(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = ARTIFACTS / f"{self.prefix}-{self.count:02d}-{step}-{self.label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def sign_in(page: Page, server: Server, email: str) -> None:
    """Open the console signed out, sign in on the page it sends the browser to, and be
    back on the console."""
    page.goto(server.url + paths.CONSOLE)
    page.wait_for_url(re.compile(re.escape(server.url + SIGNIN) + r"\?continue="))
    AccordPage(page, server.url).sign_in(email, PASSWORD)
    page.wait_for_url(server.url + paths.CONSOLE)


def press(page: Page, button: Locator, ok: str) -> None:
    """Submit a form with ``button``: the page comes back with ``?ok=<ok>`` (else the
    refusal's message is the failure)."""
    with page.expect_navigation():
        button.click()
    errors = page.locator(".error").all_inner_texts()
    assert f"ok={ok}" in page.url, f"{page.url}: {errors}"


def open_console(page: Page, server: Server, path: str = paths.CONSOLE) -> None:
    page.goto(server.url + path)
    assert page.url.startswith(server.url + path), page.url


def create_project(page: Page, name: str) -> str:
    project_id = "b-" + uuid.uuid4().hex[:12]
    page.fill("#name", name)
    page.fill("#project_id", project_id)
    press(page, page.locator("#create-project button[type=submit]"), "project_created")
    return project_id


def fill_consent_screen(page: Page, email: str) -> None:
    page.get_by_role("link", name="OAuth consent screen").click()
    page.fill("#app_name", APP_NAME)
    page.fill("#support_email", email)
    page.fill("#home_url", "https://ledger.example.com/")
    page.fill("#privacy_url", "https://ledger.example.com/privacy")
    page.fill("#terms_url", "https://ledger.example.com/terms")
    page.fill("#authorized_domains", "example.com")
    page.check("input[name=publishing_status][value=testing]")
    press(page, page.locator("#consent-screen button[type=submit]"), "consent_saved")
    page.fill("#test-user-email", email)
    press(page, page.locator("#add-test-user button[type=submit]"), "test_user_added")


def create_client(page: Page) -> tuple[str, str]:
    page.get_by_role("link", name="Clients").click()
    page.locator("#new-client").click()
    page.fill("#client-name", "Ledger web")
    page.fill("#redirect_uris", REDIRECT_URI)
    page.locator("#create-client button[type=submit]").click()
    page.wait_for_selector("#client-secret")
    return page.inner_text("#client-id").strip(), page.inner_text("#client-secret").strip()


def download_json(page: Page, tmp_path: Path) -> dict[str, Any]:
    with page.expect_download() as download:
        page.locator("#download-json").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    config: dict[str, Any] = json.loads(target.read_text())
    return config


def authorize(page: Page, config: dict[str, Any], site: ClientSite) -> Flow:
    """The downloaded file drives google-auth-oauthlib through Accord (the browser is
    signed in and a test user of the project): consent, code, tokens."""
    flow = Flow.from_client_config(config, scopes=["openid", DRIVE_META])
    flow.redirect_uri = REDIRECT_URI
    url, _state = flow.authorization_url(access_type="offline", prompt="consent")
    callback = site.callback()
    page.goto(url)
    page.wait_for_url(re.compile(re.escape(paths.CONSENT) + r"\?"))
    assert page.get_by_text(APP_NAME).first.is_visible()
    page.locator("input[name=scope]").first.check()
    page.locator("button[name=action][value=allow]").click()
    page.wait_for_url(re.compile("^" + re.escape(REDIRECT_URI)))
    flow.fetch_token(authorization_response=callback.url)
    return flow


def refresh(server: Server, client_id: str, secret: str, refresh_token: str) -> int:
    answer = requests.post(server.url + "/token", data={
        "grant_type": "refresh_token", "refresh_token": refresh_token,
        "client_id": client_id, "client_secret": secret,
    })
    return answer.status_code


def test_console_first_day(
    server: Server, new_context: NewContext, site: ClientSite, label: str, tmp_path: Path
) -> None:
    """Project, consent screen, client, client_secret.json with google-auth-oauthlib,
    then secret rotation: add a second secret, disable the first."""
    email, _sub = server.new_user("Dana Developer")
    page = new_context().new_page()
    shot = Shots(page, "desktop", label)
    sign_in(page, server, email)
    open_console(page, server)
    shot("projects")

    project_id = create_project(page, "Ledger")
    assert page.locator("#flash").inner_text() == "Project created."
    press(page, page.locator("#apis li", has_text="Google Drive API").get_by_role("button"), "api_enabled")
    shot("project")

    fill_consent_screen(page, email)
    assert page.locator("#consent-app-name").inner_text() == APP_NAME
    shot("consent-screen")

    client_id, first_secret = create_client(page)
    assert client_id.endswith(".apps.googleusercontent.com")
    shot("client-created")
    config = download_json(page, tmp_path)
    assert config["web"]["client_secret"] == first_secret
    assert config["web"]["project_id"] == project_id
    flow = authorize(page, config, site)
    refresh_token = flow.credentials.refresh_token
    assert refresh_token

    open_console(page, server, f"/console/clients/{client_id}")
    shot("client")
    page.locator("form", has=page.locator("input[value=add_secret]")).get_by_role(
        "button"
    ).click()
    page.wait_for_selector("#client-secret")
    second_secret = page.inner_text("#client-secret").strip()
    assert second_secret != first_secret
    shot("second-secret")
    page.locator("#done").click()
    first = page.locator("#secrets li", has_text="****" + first_secret[-4:])
    press(page, first.get_by_role("button", name="Disable"), "secret_disabled")
    assert "disabled" in first.inner_text()
    shot("first-secret-disabled")

    assert refresh(server, client_id, first_secret, refresh_token) == 401
    assert refresh(server, client_id, second_secret, refresh_token) == 200


def test_console_fits_a_phone(server: Server, new_context: NewContext, label: str) -> None:
    """At 390x844 no console page scrolls sideways, tables and long IDs included."""
    org_id = "org-" + uuid.uuid4().hex[:8]
    email = f"phil@{org_id}.com"
    server.admin.create_user(email, PASSWORD, "Phil Phone")
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Phone Org", [f"{org_id}.com"])
    orgs.add_admin(Operator(), org_id, email)
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    shot = Shots(page, "phone", label)
    sign_in(page, server, email)
    open_console(page, server)
    project_id = create_project(page, "A project with a rather long name for a small screen")
    fill_consent_screen(page, email)
    client_id, _secret = create_client(page)

    def fits(step: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(step)
        assert width <= PHONE["width"], f"{step}: {width}px wide"

    fits("client-created")
    for step, path in (
        ("projects", paths.CONSOLE),
        ("project", f"/console/projects/{project_id}"),
        ("consent-screen", f"/console/projects/{project_id}/consent"),
        ("clients", f"/console/projects/{project_id}/clients"),
        ("new-client", f"/console/projects/{project_id}/clients/new"),
        ("client", f"/console/clients/{client_id}"),
        ("scopes", "/console/scopes"),
        ("org", f"/console/orgs/{org_id}"),
    ):
        open_console(page, server, path)
        fits(step)
    open_console(page, server, f"/console/clients/{client_id}")
    page.fill("#redirect_uris", "https://app.example.com/callback#fragment")
    page.locator("#edit-client button[type=submit]").click()
    page.wait_for_selector("#error-update-redirect_uris")
    fits("client-error")
