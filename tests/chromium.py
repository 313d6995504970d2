"""Driving Accord's pages in headless Chromium through Playwright.

Chromium comes from the system (``scripts/install-system-deps.sh`` installs
Debian's ``chromium``); Playwright's own browser downloads are not used.
``ACCORD_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import html
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, Playwright

from tests.conftest import REDIRECT_URI, ROOT

CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",  # the tests run as root in containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


class ClientSite:
    """The OAuth client's side: answers on the redirect URI's origin and records each request.

    Nothing can be assumed free on localhost:8080, so this listens on a free
    loopback port and Chromium's ``--host-resolver-rules`` sends
    localhost:8080 there (the browser still sees the real redirect URI). It also
    serves ``/framer?src=...``, a page of another origin that frames ``src``.
    """

    def __init__(self) -> None:
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(REDIRECT_URI))
        self.requests: list[str] = []  # every URL asked for, in order
        self.lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def launch_args(self) -> list[str]:
        here = f"127.0.0.1:{self._http.server_address[1]}"
        return [f"--host-resolver-rules=MAP {urlsplit(self.origin).netloc} {here}"]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def record(self, url: str) -> None:
        with self.lock:
            self.requests.append(url)

    def callback(self) -> Callback:
        """Watch for redirects to the redirect URI from now on."""
        with self.lock:
            return Callback(self, len(self.requests))


def launch(playwright: Playwright, site: ClientSite) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS + site.launch_args
    )


def _handler(site: ClientSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = urlsplit(self.path)
            site.record(f"http://{self.headers['Host']}{self.path}")
            if path.path == "/framer":
                src = html.escape(parse_qs(path.query)["src"][0])
                body = FRAMER_PAGE.format(src=src)
            else:
                body = CLIENT_PAGE
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


CLIENT_PAGE = (
    "<!doctype html><title>Client</title><h1>Back at the client</h1>"
    "<script>document.title = 'Client (scripts ran)'</script>"
)
FRAMER_PAGE = (
    "<!doctype html><title>Framer</title><h1>Another site</h1>"
    '<iframe id="target" src="{src}" width="600" height="400"></iframe>'
    '<iframe id="control" src="/control" width="300" height="100"></iframe>'
)


class Callback:
    """The redirects to the client's redirect URI since this was made."""

    def __init__(self, site: ClientSite, start: int) -> None:
        self._site = site
        self._start = start
        self._path = urlsplit(REDIRECT_URI).path

    @property
    def urls(self) -> list[str]:
        with self._site.lock:
            seen = self._site.requests[self._start :]
        return [u for u in seen if urlsplit(u).path == self._path]

    @property
    def url(self) -> str:
        urls = self.urls
        assert len(urls) == 1, f"expected one redirect to the client, got {urls}"
        return urls[0]

    def params(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.url).query).items()}


class AccordPage:
    """One tab on Accord's sign-in, chooser and consent pages."""

    def __init__(self, page: Page, origin: str, label: str = "") -> None:
        self.page = page
        self.origin = origin
        self.label = label  # added to screenshot names (the database backend)

    def open(self, url: str) -> None:
        self.page.goto(url)

    def wait_for(self, path: str) -> None:
        self.page.wait_for_url(re.compile("^" + re.escape(self.origin + path)))

    def wait_for_client(self) -> None:
        self.page.wait_for_url(re.compile("^" + re.escape(REDIRECT_URI)))

    def sign_in(self, email: str, password: str) -> None:
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", password)
        self.page.get_by_role("button", name="Next").click()

    def choose(self, email: str) -> None:
        self.page.locator("button[name=account]", has_text=email).click()

    def use_another_account(self) -> None:
        self.page.get_by_role("link", name="Use another account").click()

    def tick(self, scopes: list[str]) -> None:
        """Set the consent checkboxes: exactly ``scopes`` ticked."""
        boxes = self.page.locator("input[name=scope]")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            box.set_checked(box.get_attribute("value") in scopes)

    def allow(self, scopes: list[str]) -> None:
        self.tick(scopes)
        self.page.locator("button[name=action][value=allow]").click()

    def deny(self) -> None:
        self.page.locator("button[name=action][value=deny]").click()

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = f"-{self.label}" if self.label else ""
        path = SCREENSHOTS / f"{name}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path
