"""What a new user tripped over in the first hour (the README, the CLI, the pages)."""

from __future__ import annotations

import requests

from tests.conftest import Server


def test_favicon_is_served(server: Server) -> None:
    response = requests.get(server.url + "/favicon.ico", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO directory with one image
    assert "max-age" in response.headers["cache-control"]
