"""Helpers of the developer console's tests (issue 3, "The web console"): a signed-in console
browser that posts its forms with the session's CSRF token.

Every page is server-rendered and every POST carries the session's CSRF token. The
console calls only ``accord.services``: its refusals are the services' messages, shown
next to the form field, with the services' status. A project or client that the
signed-in account may not see answers exactly like one that does not exist.
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import requests

from accord.google import paths
from accord.interaction.signin_page import SIGNIN
from tests.browser import Browser
from tests.conftest import PASSWORD, REDIRECT_URI, Server

XSS = "<script>alert(1)</script>"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def sign_in(browser: Browser, server: Server, email: str) -> None:
    """Open the console signed out: it sends the browser to the sign-in page, which
    comes back to the console once the password is right."""
    browser.open(server.url + paths.CONSOLE)
    assert urlsplit(str(browser.page.url)).path == SIGNIN, browser.page.url
    browser.sign_in(email, PASSWORD)
    assert str(browser.page.url) == server.url + paths.CONSOLE, browser.page.url


class Console:
    """One person signed in to the console with requests (no JavaScript, like a phone
    browser with scripts off)."""

    def __init__(self, server: Server, name: str = "Console User", email: str = "") -> None:
        self.server = server
        if email:
            self.email, self.sub = email, server.admin.create_user(email, PASSWORD, name)
        else:
            self.email, self.sub = server.new_user(name)
        self.browser = Browser(server.url)
        sign_in(self.browser, server, self.email)
        self.http: requests.Session = self.browser.http

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.server.url + path, allow_redirects=False)

    def csrf(self) -> str:
        found = CSRF.search(self.get(paths.CONSOLE).text)
        assert found, "no CSRF token on the console's front page"
        return html.unescape(found.group(1))

    def post(
        self, path: str, action: str, csrf: str | None = "", **fields: str
    ) -> requests.Response:
        """Submit a console form; ``csrf=""`` takes the session's token, None sends none."""
        data = {"action": action, **fields}
        if csrf is not None:
            data["csrf"] = csrf or self.csrf()
        return self.http.post(self.server.url + path, data=data, allow_redirects=False)

    def new_project(self, name: str = "Console App") -> str:
        project_id = "c-" + uuid.uuid4().hex[:12]
        answer = self.post(paths.CONSOLE, "create", project_id=project_id, name=name)
        assert answer.status_code == 303, answer.text
        return project_id

    def new_client(self, project_id: str, uris: str = REDIRECT_URI) -> tuple[str, str]:
        """Create a web client through the form: (client ID, the secret shown once)."""
        answer = self.post(
            f"/console/projects/{project_id}/clients/new", "create",
            type="web", name="web", redirect_uris=uris, javascript_origins="",
        )
        assert answer.status_code == 303, answer.text  # Post/Redirect/Get (issue 11)
        answer = self.get(answer.headers["location"])
        assert answer.status_code == 200, answer.text
        client_id = re.search(r'id="client-id">([^<]+)<', answer.text)
        secret = re.search(r'id="client-secret">([^<]+)<', answer.text)
        assert client_id and secret
        return html.unescape(client_id.group(1)), html.unescape(secret.group(1))


def flash(answer: requests.Response) -> str:
    return parse_qs(urlsplit(answer.headers["location"]).query).get("ok", [""])[0]
