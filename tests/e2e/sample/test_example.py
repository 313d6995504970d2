"""The Flask sample of Google's web-server guide, run against Accord, and ``accord demo``.

The sample runs as its own process (``python examples/flask_app/app.py``) and is
driven by a cookie-keeping requests session that follows redirects across both
origins, the way a browser moves between the sample and Accord's pages.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import pytest
import requests

from tests.browser import forms
from tests.conftest import DRIVE_META, PASSWORD, ROOT, Client, Server, free_port

SAMPLE = ROOT / "examples" / "flask_app" / "app.py"
REVOKED = "Credentials successfully revoked."


class CrossOriginBrowser:
    """Keeps cookies for every origin, follows all redirects and submits forms."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.page: requests.Response | None = None

    def open(self, url: str) -> requests.Response:
        self.page = self.http.get(url, timeout=60)
        return self.page

    def submit(
        self,
        values: dict[str, str] | None = None,
        button: tuple[str, str] | None = None,
        tick: list[str] | None = None,
    ) -> requests.Response:
        """Submits the page's form with every box ticked, or only the ``tick`` values."""
        assert self.page is not None
        form = forms(self.page.text)[0]
        data = [(k, (values or {}).get(k, v)) for k, v in form.fields]
        data += [(k, v) for k, v in (values or {}).items() if k not in dict(form.fields)]
        data += [(n, v) for n, v, _ in form.checkboxes if tick is None or v in tick]
        if button is not None:
            data.append(button)
        url = urljoin(self.page.url, form.action)
        self.page = self.http.post(url, data=data, timeout=60)
        return self.page


def authorize_through_sample(
    browser: CrossOriginBrowser,
    sample_url: str,
    accord_url: str,
    email: str,
    password: str,
    grant: list[str] | None = None,
) -> requests.Response:
    """/authorize on the sample -> Accord sign-in -> consent (granting ``grant``, default
    all) -> /oauth2callback -> index."""
    page = browser.open(sample_url + "/authorize")
    if "/signin?" in page.url:
        assert page.url.startswith(accord_url + "/signin"), page.url
        page = browser.submit({"email": email, "password": password})
    if page.url.startswith(accord_url + "/signin/consent"):  # skipped when granted already
        page = browser.submit(button=("action", "allow"), tick=grant)
    assert page.status_code == 200, page.text
    assert page.url == sample_url + "/", page.url
    assert any("/oauth2callback?" in r.url for r in page.history)
    return page


def wait_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}: {log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer: {log.read_text()}")


def stopped(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)


# The sample against the server fixture ----------------------------------------------


@dataclass
class Sample:
    url: str
    client: Client


@pytest.fixture(scope="module")
def sample(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    port = free_port()
    url = f"http://localhost:{port}"
    client = server.new_client(
        server.new_project("Flask Sample"), redirect_uris=(f"{url}/oauth2callback",)
    )
    env = {
        **os.environ,
        "CLIENT_SECRETS_FILE": str(client.path),
        "ACCORD_ISSUER": server.url,
        "SAMPLE_PORT": str(port),
    }
    log = tmp_path_factory.mktemp("sample") / "sample.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(SAMPLE)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_answering(url + "/", process, log)
        yield Sample(url, client)
    finally:
        stopped(process)


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


# accord demo ---------------------------------------------------------------------


class Demo:
    """``accord demo`` as a subprocess, its standard output read line by line."""

    def __init__(self, data_dir: Path, port: int, sample_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        env.update(ACCORD_DATA_DIR=str(data_dir), ACCORD_ISSUER=f"http://127.0.0.1:{port}")
        self.log = data_dir / f"demo-{port}.log"
        with open(self.log, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "accord.cli", "demo",
                 "--port", str(port), "--sample-port", str(sample_port)],
                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.lines.put(line.decode())
        self.lines.put(None)

    def banner(self) -> dict[str, str]:
        """The ``Label:  value`` lines printed once both servers answer."""
        fields: dict[str, str] = {}
        while True:
            line = self.lines.get(timeout=90)
            if line is None:
                raise AssertionError(f"accord demo ended early: {self.log.read_text()}")
            if line.startswith("Press Ctrl-C"):
                return fields
            label, sep, value = line.strip().partition(":  ")
            if sep:
                fields[label] = value.strip()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=30)


def port_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_accord_demo_serves_the_sample_and_reuses_its_data(tmp_path: Path) -> None:
    port, sample_port = free_port(), free_port()
    while sample_port == port:
        sample_port = free_port()
    demo = Demo(tmp_path, port, sample_port)
    try:
        shown = demo.banner()
        accord_url, sample_url = f"http://127.0.0.1:{port}", f"http://localhost:{sample_port}"
        assert shown["Open the sample app"] == sample_url
        assert shown["Accord issuer"] == accord_url
        assert shown["Sign in as"] == "demo@example.com"
        assert requests.get(accord_url + "/healthz", timeout=30).status_code == 200
        assert requests.get(sample_url + "/", timeout=30).status_code == 200
        assert (tmp_path / "client_secret.json").stat().st_mode & 0o777 == 0o600

        browser = CrossOriginBrowser()
        authorize_through_sample(
            browser, sample_url, accord_url, shown["Sign in as"], shown["Password"]
        )
        assert browser.open(sample_url + "/drive").json()["kind"] == "drive#fileList"
        assert browser.open(sample_url + "/calendar").status_code == 200
    finally:
        assert demo.stop(signal.SIGTERM) == 0, demo.log.read_text()
    assert port_closed(port) and port_closed(sample_port)
    assert "stopping" in demo.log.read_text()

    # A second run in the same data directory keeps the user, password and client.
    again = Demo(tmp_path, port, sample_port)
    try:
        second = again.banner()
        assert second["Password"] == shown["Password"]
        assert second["Client ID"] == shown["Client ID"]
        browser = CrossOriginBrowser()
        authorize_through_sample(
            browser, sample_url, accord_url, second["Sign in as"], second["Password"]
        )
    finally:
        assert again.stop(signal.SIGINT) == 0, again.log.read_text()
    assert port_closed(port) and port_closed(sample_port)
