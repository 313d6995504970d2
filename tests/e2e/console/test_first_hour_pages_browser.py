"""Issue 11, "The first hour": the pages in headless Chromium, desktop and 390 px.

The consent page: a logo that cannot be loaded leaves the app's initial (no
broken-image icon), the app's links have separators, Select all ticks every scope.
The console: scope URLs are not broken mid-word and badges do not wrap; the account
menu shows that it opens. The password page: the account chip has room below it and
Cancel is a button. Screenshots go to test-artifacts/first-hour/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from google_auth_oauthlib.flow import Flow
from playwright.sync_api import BrowserContext, Page

from accord.google import paths
from accord.services import Operator
from tests.chromium import PHONE, AccordPage
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, ROOT, Server, World
from tests.policy_helpers import projects

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]

ARTIFACTS = ROOT / "test-artifacts" / "first-hour"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}


def shot(page: Page, name: str, size: str, label: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}-{label}.png"), full_page=True)


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, width


def dress_up(server: Server, world: World) -> None:
    """A logo that cannot load, and every link of the consent screen."""
    projects(server).update_consent_screen(
        Operator(), world.client.project_id, app_name="Quill & Ink",
        logo_url="https://127.0.0.1:1/logo.png", authorized_domains=["example.com"],
        home_url="https://example.com/", privacy_url="https://example.com/privacy",
        terms_url="https://www.example.com/terms", support_email="help@example.com",
    )


@pytest.mark.parametrize("size", SIZES)
def test_the_consent_page_initial_links_and_select_all(
    server: Server, new_context: NewContext, label: str, size: str
) -> None:
    world = server.new_world()
    dress_up(server, world)
    flow = Flow.from_client_config(world.client.config, scopes=[DRIVE_META, CALENDAR_RO])
    flow.redirect_uri = REDIRECT_URI
    url, _ = flow.authorization_url()
    tab = AccordPage(new_context(viewport=SIZES[size]).new_page(), server.url, label)
    tab.open(url)
    tab.wait_for("/signin?")
    tab.sign_in(world.email, world.password)
    tab.wait_for(paths.CONSENT)
    page = tab.page
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelector('#app-logo img').classList.contains('broken')")
    assert not page.locator("#app-logo img").is_visible()
    assert page.locator(".app-initial").is_visible()
    assert page.locator(".app-initial").inner_text() == "Q"
    assert page.locator("#app-links .sep").count() == 3
    assert page.locator("#app-links").inner_text().count("·") == 3

    boxes = page.locator("input[name=scope]")
    assert boxes.count() == 2
    every = page.locator("#select-all")
    assert every.is_visible()
    every.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.nth(0).uncheck()
    assert not every.is_checked()
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    every.check()
    fits(page)
    shot(page, "consent", size, label)
    page.locator("#allow").click()
    tab.wait_for_client()
    granted = set(page.url.split("scope=")[1].split("&")[0].replace("%3A", ":")
                  .replace("%2F", "/").split("+"))
    assert {DRIVE_META, CALENDAR_RO} <= granted


def sign_in_console(server: Server, page: Page, world: World) -> None:
    page.goto(server.url + paths.CONSOLE)
    tab = AccordPage(page, server.url)
    tab.sign_in(world.email, world.password)
    page.wait_for_url(server.url + paths.CONSOLE)


@pytest.mark.parametrize("size", SIZES)
def test_the_console_scopes_menu_and_the_password_page(
    server: Server, new_context: NewContext, label: str, size: str
) -> None:
    world = server.new_world()
    page = new_context(viewport=SIZES[size]).new_page()
    sign_in_console(server, page, world)
    page.goto(server.url + "/console/scopes")
    badge = page.locator(".badge-non-sensitive").first
    assert page.evaluate("e => getComputedStyle(e).whiteSpace", badge.element_handle()) == "nowrap"
    lines = badge.evaluate("e => e.getClientRects().length")
    assert lines == 1
    # No scope URL is broken inside a word: each line of it ends at a "/" or the end.
    broken = page.evaluate("""() => [...document.querySelectorAll('#scopes code')].filter(c => {
        const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
        const range = document.createRange(); let top = null; let before = "";
        for (let text = walk.nextNode(); text; text = walk.nextNode()) {
          for (let i = 0; i < text.length; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const y = range.getBoundingClientRect().top;
            if (top !== null && y > top + 2 && before !== "/") return true;
            top = y; before = text.data[i];
          }
        }
        return false; }).map(c => c.textContent)""")
    assert broken == []
    fits(page)
    shot(page, "scopes", size, label)

    page.goto(server.url + paths.CONSOLE)
    caret = page.locator(".account-menu summary .caret")
    assert caret.is_visible()
    box = caret.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    page.locator(".account-menu summary").click()
    shot(page, "account-menu", size, label)

    page.goto(server.url + "/account/password")
    chip = page.locator(".account-chip").bounding_box()
    below = page.locator("p.sub").bounding_box()
    assert chip and below and below["y"] - (chip["y"] + chip["height"]) >= 8
    cancel = page.locator("#cancel")
    assert "button" in (cancel.get_attribute("class") or "")
    radius = cancel.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radius == page.locator("#change").evaluate(
        "e => getComputedStyle(e).borderTopLeftRadius")
    fits(page)
    shot(page, "password", size, label)


@pytest.mark.parametrize("size", SIZES)
def test_the_client_pages_errors_secret_once_and_confirmations(
    server: Server, new_context: NewContext, label: str, size: str
) -> None:
    world = server.new_world()
    page = new_context(viewport=SIZES[size]).new_page()
    sign_in_console(server, page, world)
    project_id = "h-" + world.sub[-10:].lower().replace("_", "-")
    page.fill("#create-project input[name=project_id]", project_id)
    page.fill("#create-project input[name=name]", "First Hour")
    page.locator("#create-project button[type=submit]").click()
    page.wait_for_url(f"**/console/projects/{project_id}?ok=project_created")
    page.goto(server.url + f"/console/projects/{project_id}/clients/new")
    page.fill("#create-client input[name=name]", "web")
    page.fill("#create-client textarea[name=redirect_uris]",
              "https://ok.example.com/cb\nhttps://a.example.com/cb#x\nhttp://b.example.com/cb")
    page.locator("#create-client button[type=submit]").click()
    page.wait_for_selector("#error-create-redirect_uris-2")
    assert "Line 2" in page.inner_text("#error-create-redirect_uris")
    fits(page)
    shot(page, "client-errors", size, label)

    page.fill("#create-client textarea[name=redirect_uris]", REDIRECT_URI)
    page.locator("#create-client button[type=submit]").click()
    page.wait_for_selector("#client-secret")
    fits(page)
    shot(page, "client-created", size, label)
    page.reload()
    page.wait_for_selector("#secret-gone")
    assert page.locator("#client-secret").count() == 0
    shot(page, "client-created-reloaded", size, label)

    page.locator("#done").click()
    page.locator("#secrets").get_by_role("button", name="Disable").click()
    page.wait_for_selector("#confirm-text")
    assert "invalid_client" in page.inner_text("#confirm-text")
    fits(page)
    shot(page, "confirm-last-secret", size, label)
    page.locator("#cancel").click()
    page.get_by_role("button", name="Delete client").click()
    page.wait_for_selector("#confirm-text")
    assert "30 days" in page.inner_text("#confirm-text")
    shot(page, "confirm-delete-client", size, label)
    page.locator("#confirm-button").click()
    page.wait_for_url("**ok=client_deleted**")
