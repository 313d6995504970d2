"""Helpers of the web-server flow's tests (tests/e2e/*/test_flow.py): the authorization URL, the
code exchange and tokeninfo, by hand where the wire matters.
"""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from tests.conftest import REDIRECT_URI, Server, World

EMAIL = "https://www.googleapis.com/auth/userinfo.email"


def tokeninfo(server: Server, token: str) -> requests.Response:
    return requests.get(server.url + "/tokeninfo", params={"access_token": token})


def auth_url(world: World, scopes: list[str], **params: str) -> str:
    query = {
        "client_id": world.client.client_id,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": " ".join(scopes),
        **params,
    }
    return world.client.config["web"]["auth_uri"] + "?" + urlencode(query)


def exchange(server: Server, world: World, code: str) -> requests.Response:
    return requests.post(
        server.url + "/token",
        data={
            "code": code,
            "client_id": world.client.client_id,
            "client_secret": world.client.client_secret,
            "redirect_uri": REDIRECT_URI,
            "grant_type": "authorization_code",
        },
    )
