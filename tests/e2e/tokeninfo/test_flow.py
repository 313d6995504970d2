"""Tokeninfo in the web-server flow: every way of passing the token (reference §1.6)."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import DRIVE_META, Server, World
from tests.flows import authorize


@pytest.mark.parametrize("where", ["query", "form", "bearer", "v3_path"])
def test_tokeninfo_forms(server: Server, world: World, where: str) -> None:
    """?access_token=, a form field, or Authorization: Bearer; every number a string
    (reference §1.6)."""
    flow, _ = authorize(server, world, [DRIVE_META, "email"])
    token = flow.credentials.token
    url = server.url + ("/oauth2/v3/tokeninfo" if where == "v3_path" else "/tokeninfo")
    if where == "form":
        response = requests.post(url, data={"access_token": token})
    elif where == "bearer":
        response = requests.post(url, headers={"Authorization": f"Bearer {token}"})
    else:
        response = requests.get(url, params={"access_token": token})
    assert response.status_code == 200
    info = response.json()
    assert list(info) == ["azp", "aud", "sub", "scope", "exp", "expires_in", "email",
                          "email_verified", "access_type"]
    assert all(isinstance(v, str) for v in info.values())
    assert info["aud"] == info["azp"] == world.client.client_id
    assert info["sub"] == world.sub and info["access_type"] == "offline"
    assert 3590 <= int(info["expires_in"]) <= 3599
