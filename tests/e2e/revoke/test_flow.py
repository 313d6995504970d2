"""Revocation in the web-server flow: every way of passing the token (reference §1.5)."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import DRIVE_META, Server, World
from tests.flows import authorize


@pytest.mark.parametrize("how", ["get_query", "post_query", "post_form"])
def test_revoke_forms(server: Server, world: World, how: str) -> None:
    """token in the query string (the seed's sample), a form body, or GET (reference §1.5)."""
    flow, _ = authorize(server, world, [DRIVE_META])
    token = flow.credentials.token
    url = server.url + "/revoke"
    if how == "get_query":
        response = requests.get(url, params={"token": token})
    elif how == "post_query":
        response = requests.post(
            url, params={"token": token},
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    else:
        response = requests.post(url, data={"token": token})
    assert response.status_code == 200
    again = requests.post(url, data={"token": token})
    assert again.status_code == 400 and again.json()["error"] == "invalid_token"
