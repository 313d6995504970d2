"""Helpers of the bad-input tests, one module per endpoint (authorization/test_bad_input.py,
authorization/test_bad_pages.py, token/test_bad_input.py, token/test_bad_refresh.py,
tokeninfo/test_bad_input.py, revoke/test_bad_input.py); their fixtures are in conftest.py.

Adversarial input at every endpoint: wrong, missing, repeated, oversized and hostile values,
wrong methods and content types. Each must get a clear error in Google's shape and change
nothing: a code that survived a bad exchange still works once, a token still works.

RFC 6749 §3.1/§3.2: no parameter may appear twice; §4.1.2.1: an invalid client or redirect
URI is never redirected to; §5.2: token errors are JSON. RFC 7009 §2.2.1 and
RFC 7636 §4.6 for revocation and PKCE. Google's shapes: reference §1.1, §1.3.4, §1.5, §1.6.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import requests

from tests.browser import Browser
from tests.conftest import DRIVE_META, REDIRECT_URI, Client, Server, World

Pair = tuple[str, str]
AUTH_PATHS = ("/o/oauth2/v2/auth", "/o/oauth2/auth")
TOKEN_PATHS = ("/token", "/o/oauth2/token", "/oauth2/v4/token")
TOKENINFO_PATHS = ("/tokeninfo", "/oauth2/v3/tokeninfo")
OTHER_URI = "http://localhost:8080/other"  # registered, but never the one used at /auth
DRIVE = "https://www.googleapis.com/auth/drive"
UNKNOWN_CLIENT = "123456789012-nosuchclient.apps.googleusercontent.com"
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
INVALID_VALUE = {"error": "invalid_token", "error_description": "Invalid Value"}
EXPIRED_OR_REVOKED = "Token has been expired or revoked."
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True, scope="session")


# Helpers ------------------------------------------------------------------------------------
def new_verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 characters of the RFC 7636 §4.1 alphabet


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def replaced(pairs: list[Pair], name: str, value: str | None) -> list[Pair]:
    out = [(k, v) for k, v in pairs if k != name]
    return out if value is None else [*out, (name, value)]


def error_page(response: requests.Response) -> tuple[str, str]:
    """The "Error <status>: <code>" line and the description of Accord's error page."""
    code = re.search(r'id="error-code">(.*?)</p>', response.text, re.S)
    text = re.search(r'id="error-description">(.*?)</p>', response.text, re.S)
    return (html.unescape(code.group(1)) if code else "", html.unescape(text.group(1)) if text else "")


def assert_error_page(response: requests.Response, status: int, code: str, says: str = "") -> None:
    """Reference §1.1: shown on the server's own page, never redirected (RFC 6749 §4.1.2.1)."""
    assert not response.is_redirect, response.headers.get("location")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    shown_code, description = error_page(response)
    assert shown_code == f"Error {status}: {code}", response.text
    assert says in description
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]


def assert_json_error(
    response: requests.Response, status: int | tuple[int, ...], error: str, says: str = ""
) -> None:
    """RFC 6749 §5.2 / reference §1.3.4: {"error", "error_description"}, never cached."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "no-store" in response.headers["cache-control"]
    body = response.json()
    assert body["error"] == error, body
    assert says in body.get("error_description", ""), body


def tokeninfo(server: Server, token: str, path: str = "/tokeninfo") -> requests.Response:
    return requests.get(server.url + path, params={"access_token": token})


@dataclass
class Signed:
    """A browser signed in to a world whose project already granted Drive metadata, and a
    second client of the same project."""

    server: Server
    world: World
    client: Client
    other: Client
    browser: Browser

    def code(self, verifier: str | None = None, *, offline: bool = False, scope: str = DRIVE_META,
             method: str = "S256") -> str:
        params = {"client_id": self.client.client_id, "redirect_uri": REDIRECT_URI,
                  "response_type": "code", "scope": scope, "state": "st"}
        if offline:
            params |= {"access_type": "offline", "prompt": "consent"}
        if verifier is not None:
            challenge = s256(verifier) if method == "S256" else verifier
            params |= {"code_challenge": challenge, "code_challenge_method": method}
        b = self.browser
        b.open(f"{self.server.url}/o/oauth2/v2/auth?{urlencode(params)}")
        if b.left_to is None and "/signin?" in b.page.url:
            b.sign_in(self.world.email, self.world.password)
        if b.left_to is None and "/signin/consent" in b.page.url:
            b.allow()
        return b.callback_params()["code"]

    def exchange_form(self, code: str, verifier: str | None = None) -> list[Pair]:
        form = [("grant_type", "authorization_code"), ("code", code),
                ("client_id", self.client.client_id), ("client_secret", self.client.client_secret),
                ("redirect_uri", REDIRECT_URI)]
        return form + ([("code_verifier", verifier)] if verifier else [])

    def exchange(self, code: str, verifier: str | None = None) -> requests.Response:
        return requests.post(self.server.url + "/token", data=self.exchange_form(code, verifier))

    def refresh(self, refresh_token: str, **extra: str) -> requests.Response:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token,
                "client_id": self.client.client_id, "client_secret": self.client.client_secret}
        return requests.post(self.server.url + "/token", data=form | extra)


def flip_middle(token: str) -> str:
    i = len(token) // 2
    return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]
