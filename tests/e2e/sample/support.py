"""Helpers of the Flask sample's tests: the sample's path, a browser that keeps cookies across
the sample's and Accord's origins, waiting for a process to answer, stopping it.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.browser import forms
from tests.conftest import ROOT, Client

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


@dataclass
class Sample:
    url: str
    client: Client
