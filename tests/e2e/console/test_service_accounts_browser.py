"""Service accounts in headless Chromium (issue 10): a developer creates an account and a
key in the console, downloads the JSON key file once, and the file works unchanged with
google-auth; the same pages on a phone, without sideways scrolling. Screenshots go to
test-artifacts/console/ (gitignored)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from accord.clock import SystemClock
from accord.services import Operator, Organizations
from tests.chromium import PHONE
from tests.conftest import PASSWORD, Server
from tests.e2e.console.test_console_browser import (
    Shots,
    create_project,
    open_console,
    press,
    sign_in,
)
from tests.e2e.console.test_service_accounts import KEY_FILE_FIELDS
from tests.e2e.service_account_checks import check_key_file_works

pytestmark = pytest.mark.browser
NewContext = Callable[..., BrowserContext]


def create_account(page: Page, account_id: str) -> str:
    """Service accounts → Create service account → the account's page: its unique ID."""
    page.get_by_role("link", name="Service accounts").click()
    page.locator("#new-service-account").click()
    page.fill("#display_name", "Nightly build")
    page.fill("#account_id", account_id)
    page.fill("#description", "Runs the nightly build")
    press(page, page.locator("#create-service-account button[type=submit]"), "account_created")
    return page.inner_text("#account-unique-id").strip()


def download_key_file(page: Page, tmp_path: Path) -> dict[str, str]:
    """Keys → Create new key → Download JSON key file (once)."""
    page.locator("nav.tabs").get_by_role("link", name="Keys").click()
    page.locator("#create-key-button").click()
    page.wait_for_selector("#download-key")
    with page.expect_download() as download:
        page.locator("#download-key").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    key_file: dict[str, str] = json.loads(target.read_text())
    return key_file


def test_console_service_account_key_file_works_with_google_auth(
    server: Server, new_context: NewContext, label: str, tmp_path: Path
) -> None:
    email, _sub = server.new_user("Sam Service")
    page = new_context(accept_downloads=True).new_page()
    shot = Shots(page, "service-account", label)
    sign_in(page, server, email)
    open_console(page, server)
    project_id = create_project(page, "Builds")
    press(page, page.locator("#apis li", has_text="Google Drive API").get_by_role("button"),
          "api_enabled")
    account_id = "nightly-" + uuid.uuid4().hex[:6]
    unique_id = create_account(page, account_id)
    shot("account")
    key_file = download_key_file(page, tmp_path)
    shot("key-created")
    assert list(key_file) == KEY_FILE_FIELDS
    assert key_file["client_email"] == f"{account_id}@{project_id}.iam.gserviceaccount.com"
    assert key_file["client_id"] == unique_id
    assert page.url.endswith(f"/keys/{key_file['private_key_id']}")

    # Never again: the same button now gets the page that says so.
    with page.expect_navigation():
        page.locator("#download-key").click()
    assert page.locator("#key-gone").is_visible()
    open_console(page, server, f"/console/service-accounts/{unique_id}/keys/"
                 + key_file["private_key_id"])
    assert page.locator("#key-gone").is_visible()
    shot("key-gone")
    page.locator("#done").click()
    assert key_file["private_key_id"] in page.locator("#keys").inner_text()
    shot("keys")

    check_key_file_works(server, key_file)


def test_service_account_pages_fit_a_phone(
    server: Server, new_context: NewContext, label: str
) -> None:
    org_id = "org-" + uuid.uuid4().hex[:8]
    email = f"pat@{org_id}.com"
    server.admin.create_user(email, PASSWORD, "Pat Phone")
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Phone Org", [f"{org_id}.com"])
    orgs.add_admin(Operator(), org_id, email)
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                          has_touch=True)
    page = context.new_page()
    shot = Shots(page, "service-account-phone", label)
    sign_in(page, server, email)
    open_console(page, server)
    project_id = create_project(page, "A project with a rather long name for a small screen")
    unique_id = create_account(page, "a-rather-long-account-name-xyz")
    account = f"/console/service-accounts/{unique_id}"
    for step, path in (
        ("list", f"/console/projects/{project_id}/service-accounts"),
        ("new", f"/console/projects/{project_id}/service-accounts/new"),
        ("account", account),
        ("keys", account + "/keys"),
        ("permissions", account + "/permissions"),
        ("delegation", f"/console/orgs/{org_id}/delegation"),
    ):
        open_console(page, server, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(step)
        assert width <= PHONE["width"], f"{step}: {width}px wide"
